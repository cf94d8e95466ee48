import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../engine/src/store/db.ts';
import {
  committingWith,
  type Statement,
  sendWith,
  statement,
  together,
} from '../../engine/src/store/pipeline.ts';
import { createTestDatabase } from '../support/database.ts';
import { networkHop } from '../support/network-hop.ts';

/*
 * Statements sent together on one connection (engine/src/store/pipeline.ts) and transactions
 * whose BEGIN is not waited for (engine/src/store/pipelined-dialect.ts), on a real PostgreSQL:
 * answers in order, inside the transaction, and nothing half-done when a statement or the
 * connection fails.
 */
let url: string;
let db: Db;

beforeAll(async () => {
  url = await createTestDatabase();
  db = createDb(url, { max: 1, prepare: true }).db;
  await sql`CREATE TABLE items (id int PRIMARY KEY, label text NOT NULL)`.execute(db);
});
afterAll(async () => {
  await db.destroy();
});

const labels = (d: Db, ids: number[]): Statement<string[]> =>
  statement(
    ids.length === 0
      ? null
      : sql<{ label: string }>`SELECT label FROM items WHERE id = ANY(${ids}) ORDER BY id`.compile(d),
    (rows) => rows.map((r) => r.label),
  );

const insert = (d: Db, id: number, label: string): Statement<number> =>
  statement(sql`INSERT INTO items VALUES (${id}, ${label})`.compile(d), (rows) => rows.length);

const count = async () =>
  Number((await sql<{ n: string }>`SELECT count(*) AS n FROM items`.execute(db)).rows[0]?.n);

describe('statements sent together', () => {
  it('answers each statement with its own rows, in order; a statement with nothing to ask is not sent', async () => {
    await sql`TRUNCATE items`.execute(db);
    const [inserted, none, found, again] = await together(db, [
      insert(db, 1, 'one'),
      labels(db, []),
      labels(db, [1, 2]),
      insert(db, 2, 'two'),
    ] as const);
    expect(inserted).toBe(0);
    expect(none).toEqual([]);
    // Run in the order sent: the first insert is seen, the second comes after the read.
    expect(found).toEqual(['one']);
    expect(again).toBe(0);
    expect(await count()).toBe(2);
  });

  it('runs inside the transaction, after its BEGIN, even though that was not waited for', async () => {
    await sql`TRUNCATE items`.execute(db);
    const [first, second] = await db.transaction().execute(async (trx) => {
      const at = () => statement(sql<{ at: Date }>`SELECT now() AS at`.compile(trx), (rows) => rows[0]?.at);
      const [a] = await together(trx, [at(), insert(trx, 3, 'three')] as const);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const [b] = await together(trx, [at()] as const);
      return [a, b];
    });
    // now() is the transaction's start: the same for every statement of one transaction.
    expect(first?.getTime()).toBe(second?.getTime());
    expect(await count()).toBe(1);
  });

  it('in a transaction, a failing statement fails the call and nothing sent with it or before it stays', async () => {
    await sql`TRUNCATE items`.execute(db);
    await expect(
      db
        .transaction()
        .execute((trx) =>
          together(trx, [insert(trx, 4, 'four'), insert(trx, 4, 'again'), insert(trx, 5, 'five')] as const),
        ),
    ).rejects.toThrow(/duplicate key/);
    expect(await count()).toBe(0);
    // The connection is whole again for the next transaction.
    await db.transaction().execute((trx) => together(trx, [insert(trx, 6, 'six')] as const));
    expect(await count()).toBe(1);
  });

  it('costs one round trip for BEGIN and the statements sent together, and one for COMMIT', async () => {
    await sql`TRUNCATE items`.execute(db);
    // 100 ms each way: a round trip costs 200 ms, far above what the work itself takes.
    const hop = await networkHop(url, 100);
    const { db: far } = createDb(hop.url, { max: 1 });
    try {
      await sql`SELECT 1`.execute(far); // the connection is made before the clock starts
      const started = performance.now();
      const [one, two, three] = await far
        .transaction()
        .execute((trx) => together(trx, [labels(trx, [1]), labels(trx, [2]), labels(trx, [3])] as const));
      const elapsed = performance.now() - started;
      expect([one, two, three]).toEqual([[], [], []]);
      // Two round trips: about 400 ms. Waiting for BEGIN would make three (600), one statement
      // at a time five (1,000).
      expect(elapsed).toBeGreaterThan(390);
      expect(elapsed).toBeLessThan(560);
    } finally {
      await far.destroy();
      await hop.close();
    }
  });
});

describe("a transaction's last statements, sent with its COMMIT", () => {
  const runnerInsert =
    (id: number, label: string) =>
    (runner: { executeSql: (text: string, values?: unknown[]) => Promise<unknown> }) =>
      runner.executeSql('INSERT INTO items VALUES ($1, $2)', [id, label]);

  it('commits them, and what the runner sent with them', async () => {
    await sql`TRUNCATE items`.execute(db);
    const value = await committingWith(db, async (trx) => {
      await together(trx, [insert(trx, 7, 'seven')] as const);
      return { value: 'done', last: sendWith(trx, insert(trx, 8, 'eight'), runnerInsert(9, 'nine'), 1) };
    });
    expect(value).toBe('done');
    expect(await count()).toBe(3);
  });

  it('one of them failing: the call fails with its error, and the COMMIT rolls all of it back', async () => {
    await sql`TRUNCATE items`.execute(db);
    await expect(
      committingWith(db, async (trx) => {
        await together(trx, [insert(trx, 10, 'ten')] as const);
        return {
          value: 'done',
          last: sendWith(trx, insert(trx, 10, 'again'), runnerInsert(11, 'eleven'), 1),
        };
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await count()).toBe(0);
    await committingWith(db, async (trx) => ({
      value: null,
      last: sendWith(trx, insert(trx, 12, 'twelve'), async () => {}, 0),
    }));
    expect(await count()).toBe(1);
  });

  it('a runner sending more than it said is refused: nothing goes out behind the COMMIT', async () => {
    await sql`TRUNCATE items`.execute(db);
    await expect(
      committingWith(db, async (trx) => ({
        value: null,
        last: sendWith(
          trx,
          insert(trx, 13, 'thirteen'),
          async (runner) => {
            await runnerInsert(14, 'fourteen')(runner);
            await runnerInsert(15, 'fifteen')(runner);
          },
          1,
        ),
      })),
    ).rejects.toThrow(/more than 1 statement/);
    expect(
      (await sql<{ id: number }>`SELECT id FROM items ORDER BY id`.execute(db)).rows.map((r) => r.id),
    ).toEqual([13, 14]);
  });

  it('costs one round trip for BEGIN, the statements and the COMMIT', async () => {
    await sql`TRUNCATE items`.execute(db);
    const hop = await networkHop(url, 100);
    const { db: far } = createDb(hop.url, { max: 1 });
    try {
      await sql`SELECT 1`.execute(far);
      const started = performance.now();
      await committingWith(far, async (trx) => ({
        value: null,
        last: sendWith(trx, insert(trx, 16, 'sixteen'), runnerInsert(17, 'seventeen'), 1),
      }));
      const elapsed = performance.now() - started;
      expect(await count()).toBe(2);
      // One round trip: about 200 ms. Waiting for the statements before the COMMIT makes two (400).
      expect(elapsed).toBeGreaterThan(190);
      expect(elapsed).toBeLessThan(360);
    } finally {
      await far.destroy();
      await hop.close();
    }
  });
});
