import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../engine/src/store/db.ts';
import { StatementNames } from '../../engine/src/store/prepared-statements.ts';
import { createTestDatabase } from '../support/database.ts';

/*
 * Repeated statements run as named statements (engine/src/store/prepared-statements.ts), on a
 * real PostgreSQL: what gets a name, that results do not change, and that a statement a
 * migration broke runs unnamed afterwards instead of failing forever.
 */
let url: string;
const opened: { destroy(): Promise<void> }[] = [];

beforeAll(async () => {
  url = await createTestDatabase();
  const { db } = createDb(url, { max: 1 });
  await sql`CREATE TABLE items (id int PRIMARY KEY, label text NOT NULL)`.execute(db);
  await sql`INSERT INTO items SELECT i, 'item ' || i FROM generate_series(1, 10) i`.execute(db);
  await db.destroy();
});
afterAll(async () => {
  for (const db of opened) await db.destroy();
});

/** One connection, so the session that prepared a statement is the one asked about it. */
function open(prepare: boolean): Db {
  const { db } = createDb(url, { max: 1, prepare });
  opened.push(db);
  return db;
}

const preparedIn = async (db: Db) =>
  (await sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements`.execute(db)).rows.map(
    (r) => r.statement,
  );

const labelOf = (db: Db, id: number) =>
  db
    .selectFrom('items' as never)
    .select('label' as never)
    .where('id' as never, '=', id as never)
    .executeTakeFirst();

describe('named statements', () => {
  it('names a parameterised statement from its third run on, with the same results', async () => {
    const db = open(true);
    const labels = [];
    for (let id = 1; id <= 5; id++) labels.push(await labelOf(db, id));
    expect(labels).toEqual([1, 2, 3, 4, 5].map((id) => ({ label: `item ${id}` })));
    const prepared = await preparedIn(db);
    expect(prepared).toHaveLength(1);
    expect(prepared[0]).toContain('select "label" from "items"');
  });

  it('never names a statement whose result columns could change (*)', async () => {
    const db = open(true);
    for (let id = 1; id <= 5; id++) await sql`SELECT * FROM items WHERE id = ${id}`.execute(db);
    expect(await preparedIn(db)).toEqual([]);
  });

  it('names a statement whose star is only in a subquery, which a new column does not break', async () => {
    const db = open(true);
    const read = (id: number) =>
      sql<{ label: string }>`SELECT s.label FROM (SELECT * FROM items) s WHERE s.id = ${id}`.execute(db);
    for (let id = 1; id <= 4; id++) await read(id);
    expect(await preparedIn(db)).toEqual([expect.stringContaining('FROM (SELECT * FROM items) s')]);
    await sql`ALTER TABLE items ADD COLUMN note text`.execute(open(false));
    // The plan is made again for the wider table; the result keeps its one column.
    expect((await read(5)).rows).toEqual([{ label: 'item 5' }]);
    expect(await preparedIn(db)).toHaveLength(1);
  });

  it('leaves everything unnamed when turned off', async () => {
    const db = open(false);
    for (let id = 1; id <= 5; id++) await labelOf(db, id);
    expect(await preparedIn(db)).toEqual([]);
  });

  it('runs a statement unnamed after a migration changed its result type', async () => {
    const db = open(true);
    const read = (id: number) =>
      sql<{ label: unknown }>`SELECT label FROM items WHERE id = ${id}`.execute(db);
    for (let id = 1; id <= 4; id++) await read(id);
    expect(await preparedIn(db)).toHaveLength(1);
    await sql`ALTER TABLE items ALTER COLUMN label TYPE varchar(40)`.execute(open(false));
    // The statement in flight when the type changed fails once; from then on it runs unnamed.
    await expect(read(5)).rejects.toMatchObject({ code: '0A000' });
    expect((await read(6)).rows).toEqual([{ label: 'item 6' }]);
    expect((await read(7)).rows).toEqual([{ label: 'item 7' }]);
  });
});

describe('StatementNames', () => {
  it('names up to a limit and keeps the names it gave', () => {
    const names = new StatementNames();
    const texts = Array.from({ length: 250 }, (_, i) => `SELECT $1::int + ${i}`);
    const given = texts.map((t) => [names.nameFor(t), names.nameFor(t), names.nameFor(t)][2]);
    expect(given.filter((n) => n !== null)).toHaveLength(200);
    expect(names.nameFor(texts[0] as string)).toBe(given[0]);
    expect(names.nameFor(texts[249] as string)).toBeNull();
  });

  it('gives a text up only for errors naming caused', () => {
    const names = new StatementNames();
    const text = 'SELECT $1::int';
    for (let i = 0; i < 3; i++) names.nameFor(text);
    const name = names.nameFor(text);
    expect(name).toMatch(/^tend_[0-9a-f]{32}$/);
    names.giveUp(text, { code: '23505' });
    expect(names.nameFor(text)).toBe(name);
    names.giveUp(text, { code: '26000' });
    expect(names.nameFor(text)).toBeNull();
  });
});
