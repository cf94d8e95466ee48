import { CompiledQuery } from 'kysely';
import type { Db as QueueDb } from 'pg-boss';
import type { Db } from './db.ts';

/**
 * A statement and how its rows are read: what `together` sends. `query` null: nothing to ask
 * (no ids given), and `read([])` is the answer.
 */
export interface Statement<T> {
  query: CompiledQuery | null;
  read(rows: unknown[]): T;
}

export function statement<R, T>(query: CompiledQuery<R> | null, read: (rows: R[]) => T): Statement<T> {
  return { query, read: read as (rows: unknown[]) => T };
}

/** One statement's answer, by itself. */
export async function run<T>(db: Db, s: Statement<T>): Promise<T> {
  const [answer] = await together(db, [s] as const);
  return answer;
}

type Answers<S extends readonly Statement<unknown>[]> = {
  -readonly [K in keyof S]: S[K] extends Statement<infer T> ? T : never;
};

/**
 * Sends these statements on one connection without waiting for each answer (the pool's
 * clients are in pipeline mode): PostgreSQL runs them in order, and they cost one round trip
 * instead of one each. On a transaction's connection they run in it, in this order; the first
 * that fails fails the call (and, in a transaction, the statements after it, as sequentially).
 */
export async function together<S extends readonly Statement<unknown>[]>(
  db: Db,
  statements: S,
): Promise<Answers<S>> {
  const asked = statements.filter((s) => s.query !== null);
  const rows =
    asked.length === 0
      ? []
      : await db
          .getExecutor()
          .provideConnection((connection) =>
            Promise.all(asked.map((s) => connection.executeQuery(s.query as CompiledQuery))),
          );
  let next = 0;
  return statements.map((s) => s.read(s.query === null ? [] : (rows[next++]?.rows ?? []))) as Answers<S>;
}

/**
 * Statements on their way: `sent` once all of them are on the wire (nothing more will be added
 * behind them), `answered` once PostgreSQL has answered them all (the first failure rejects it).
 */
export interface Sent<T> {
  sent: Promise<void>;
  answered: Promise<T>;
}

/**
 * Sends `s`, and on the same connection, without waiting for its answer, the statements `more`
 * sends through the runner it is given (pg-boss's `db` option: its job inserts), `moreStatements`
 * of them. In a transaction, all of them are in it; `more`'s statements may go before or after
 * `s`, so they must not depend on it.
 */
export function sendWith<T>(
  db: Db,
  s: Statement<T>,
  more: (runner: QueueDb) => Promise<unknown>,
  moreStatements: number,
): Sent<T> {
  let sent = () => {};
  const allSent = new Promise<void>((resolve) => {
    sent = resolve;
  });
  const answered = db.getExecutor().provideConnection(async (connection) => {
    let sending = moreStatements;
    const runner: QueueDb = {
      executeSql: (text, values = []) => {
        // Past the count, the COMMIT may be on the wire already: never send behind it.
        if (sending <= 0)
          return Promise.reject(new Error(`more than ${moreStatements} statement(s) to send`));
        const answer = connection.executeQuery(CompiledQuery.raw(text, values));
        if (--sending === 0) sent();
        return answer;
      },
    };
    const first = s.query ? connection.executeQuery(s.query) : null;
    if (sending <= 0) sent();
    // A statement `more` meant to send but did not (it failed first) is not waited for.
    const rest = more(runner).finally(sent);
    const [result] = await Promise.all([first, rest]);
    return s.read(result?.rows ?? []);
  });
  // Failing before anything went out (no connection): nothing is on the wire either.
  answered.catch(sent);
  return { sent: allSent, answered };
}

/**
 * A transaction whose last statements go out with its COMMIT, without waiting for their
 * answer: one round trip less. `work` sends them (`sendWith`) and returns them, unanswered,
 * with the value to return. Should one of them fail, PostgreSQL aborts the transaction and
 * answers its COMMIT with a rollback; this then rejects with that statement's error, as if it
 * had been awaited inside the transaction.
 */
export async function committingWith<T>(
  db: Db,
  work: (trx: Db) => Promise<{ value: T; last?: Sent<unknown> }>,
): Promise<T> {
  let last: Sent<unknown> | undefined;
  try {
    const value = await db.transaction().execute(async (trx) => {
      const out = await work(trx);
      last = out.last;
      // Awaited after the COMMIT (below).
      last?.answered.catch(() => {});
      // The COMMIT must follow every one of them on the wire.
      await last?.sent;
      return out.value;
    });
    await last?.answered;
    return value;
  } catch (error) {
    // A COMMIT answered with a rollback (Kysely says so) because one of them failed: that
    // failure is what the caller needs to see.
    await last?.answered;
    throw error;
  }
}
