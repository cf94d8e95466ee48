import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createDb } from '../../engine/src/store/db.ts';
import { migrateToLatest } from '../../engine/src/store/migrate.ts';
import { createTestDatabase } from '../support/database.ts';

/*
 * Tend's role runs without JIT compilation in Tend's database (migration 2026-12-14-30-no-jit):
 * the setting follows every new session of that role there, and nowhere else.
 */
async function jitIn(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ jit: string }>('SHOW jit')).rows[0]?.jit ?? '';
  } finally {
    await client.end();
  }
}

describe('JIT', () => {
  it('is off for new sessions in a migrated database, and untouched in others', async () => {
    const url = await createTestDatabase();
    const other = await createTestDatabase();
    const before = await jitIn(url);
    expect(before).toBe('on');
    const { db } = createDb(url, { max: 1 });
    await migrateToLatest(db);
    await db.destroy();
    expect(await jitIn(url)).toBe('off');
    expect(await jitIn(other)).toBe(before);
  });
});
