import { type Selectable, sql } from 'kysely';
import type { Db } from './db.ts';
import type { BulkActionsTable } from './schema.ts';

export type BulkActionRow = Selectable<BulkActionsTable>;

export async function createBulkAction(
  db: Db,
  row: Pick<BulkActionRow, 'id' | 'action' | 'total' | 'created_by'> & {
    params: Record<string, unknown>;
    filter: Record<string, unknown>;
  },
  now: Date,
): Promise<void> {
  await db
    .insertInto('bulk_actions')
    .values({
      ...row,
      params: JSON.stringify(row.params),
      filter: JSON.stringify(row.filter),
      status: 'running',
      created_at: now,
      updated_at: now,
    })
    .execute();
}

export async function getBulkAction(db: Db, id: string): Promise<BulkActionRow | null> {
  return (await db.selectFrom('bulk_actions').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

/** The latest actions, newest first (what the customers page shows under its bulk bar). */
export async function recentBulkActions(db: Db, limit: number): Promise<BulkActionRow[]> {
  return db.selectFrom('bulk_actions').selectAll().orderBy('created_at', 'desc').limit(limit).execute();
}

/** Records a page done, in the page's own transaction: the cursor moves with the work. */
export async function advanceBulkAction(db: Db, id: string, after: string, count: number, now: Date) {
  await db
    .updateTable('bulk_actions')
    .set((eb) => ({ after, done: eb('done', '+', count), updated_at: now }))
    .where('id', '=', id)
    .execute();
}

export async function finishBulkAction(db: Db, id: string, now: Date, error: string | null = null) {
  await db
    .updateTable('bulk_actions')
    .set({ status: error ? 'failed' : 'done', error, finished_at: now, updated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .execute();
}

/**
 * Locks these customers in id order, as dispatch and the lifecycle pass do: whoever else holds
 * some of them is waited for, never deadlocked with.
 */
export async function lockInIdOrder(db: Db, ids: string[]): Promise<void> {
  await sql`SELECT 1 FROM customers WHERE id = ANY(${ids}::text[]) ORDER BY id FOR UPDATE`.execute(db);
}

/** Adds a tag to these customers (once: a customer who has it keeps one). */
export async function addTag(db: Db, ids: string[], tag: string, now: Date): Promise<void> {
  await sql`
    UPDATE customers SET tags = array_append(tags, ${tag}::text), updated_at = ${now}
    WHERE id = ANY(${ids}::text[]) AND NOT (${tag}::text = ANY(tags))`.execute(db);
}

export async function removeTag(db: Db, ids: string[], tag: string, now: Date): Promise<void> {
  await sql`
    UPDATE customers SET tags = array_remove(tags, ${tag}::text), updated_at = ${now}
    WHERE id = ANY(${ids}::text[]) AND ${tag}::text = ANY(tags)`.execute(db);
}
