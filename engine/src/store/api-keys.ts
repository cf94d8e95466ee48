import type { Db } from './db.ts';

export interface ApiKeyRow {
  id: string;
  name: string;
  role: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export async function insertApiKey(
  db: Db,
  k: { name: string; role: string; hash: string; prefix: string },
  now: Date,
): Promise<string> {
  const row = await db
    .insertInto('api_keys')
    .values({ ...k, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The live key with this hash; marks it used at most once a minute. */
export async function findApiKey(
  db: Db,
  hash: string,
  now: Date,
): Promise<{ id: string; name: string; role: string } | null> {
  const row = await db
    .selectFrom('api_keys')
    .select(['id', 'name', 'role', 'last_used_at'])
    .where('hash', '=', hash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  // Math.abs: a clock moved back (TEND_CLOCK_OFFSET, a test's) still marks the key used.
  if (!row.last_used_at || Math.abs(now.getTime() - row.last_used_at.getTime()) > 60_000) {
    await db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  return { id: row.id, name: row.name, role: row.role };
}

export async function listApiKeys(db: Db): Promise<ApiKeyRow[]> {
  const rows = await db
    .selectFrom('api_keys')
    .select(['id', 'name', 'role', 'prefix', 'created_at', 'last_used_at'])
    .where('revoked_at', 'is', null)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    role: r.role,
    prefix: r.prefix,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
  }));
}

export async function revokeApiKey(db: Db, id: string, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('api_keys')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
