import type { Db } from './db.ts';

/** A small fact the engine keeps about itself, by key. */
export async function readState<T>(db: Db, key: string): Promise<T | null> {
  const row = await db.selectFrom('engine_state').select('value').where('key', '=', key).executeTakeFirst();
  return (row?.value as T | undefined) ?? null;
}

export async function writeState(db: Db, key: string, value: object, now: Date): Promise<void> {
  const json = JSON.stringify(value);
  await db
    .insertInto('engine_state')
    .values({ key, value: json, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_at: now }))
    .execute();
}

export async function deleteState(db: Db, key: string): Promise<void> {
  await db.deleteFrom('engine_state').where('key', '=', key).execute();
}
