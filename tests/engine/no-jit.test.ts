import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createDb } from '../../engine/src/store/db.ts';
import { migrateToLatest } from '../../engine/src/store/migrate.ts';
import { createTestDatabase } from '../support/database.ts';

/*
 * Tend's role runs without JIT compilation in Tend's database (migration 2026-12-14-30-no-jit):
 * the setting follows every new session of that role there, and nowhere else.
 */
async function query(url: string, text: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return String(Object.values((await client.query(text)).rows[0] ?? {})[0] ?? '');
  } finally {
    await client.end();
  }
}

/** JIT on for the database, whatever the server's default: a role's setting comes before it. */
async function databaseWithJit(): Promise<string> {
  const url = await createTestDatabase();
  const name = new URL(url).pathname.slice(1);
  await query(url, `ALTER DATABASE ${name} SET jit = on`);
  return url;
}

describe('JIT', () => {
  it('is off for new sessions in a migrated database, and untouched in others', async () => {
    const url = await databaseWithJit();
    const other = await databaseWithJit();
    expect(await query(url, 'SHOW jit')).toBe('on');
    const { db } = createDb(url, { max: 1 });
    await migrateToLatest(db);
    await db.destroy();
    expect(await query(url, 'SHOW jit')).toBe('off');
    expect(await query(other, 'SHOW jit')).toBe('on');
  });
});
