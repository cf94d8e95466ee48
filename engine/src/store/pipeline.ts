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
 * Sends `s`, and on the same connection, without waiting for its answer, the statements `more`
 * sends through the runner it is given (pg-boss's `db` option: its job inserts). In a transaction, all of them
 * are in it; `more`'s statements may go before or after `s`, so they must not depend on it.
 */
export async function togetherWith<T>(
  db: Db,
  s: Statement<T>,
  more: (runner: QueueDb) => Promise<unknown>,
): Promise<T> {
  return db.getExecutor().provideConnection(async (connection) => {
    const runner: QueueDb = {
      executeSql: (text, values = []) => connection.executeQuery(CompiledQuery.raw(text, values)),
    };
    const [result] = await Promise.all([s.query ? connection.executeQuery(s.query) : null, more(runner)]);
    return s.read(result?.rows ?? []);
  });
}
