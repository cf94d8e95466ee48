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

/** Stores one page of an export (its CSV lines, encrypted), numbered in order. */
export async function addExportPart(db: Db, actionId: string, part: number, bodyEnc: Buffer): Promise<void> {
  await db
    .insertInto('bulk_export_parts')
    .values({ action_id: actionId, part, body_enc: bodyEnc })
    .onConflict((oc) => oc.columns(['action_id', 'part']).doUpdateSet({ body_enc: bodyEnc }))
    .execute();
}

/** The number the next part of an export gets (parts are written one page at a time). */
export async function nextExportPart(db: Db, actionId: string): Promise<number> {
  const r = await sql<{ n: number }>`
    SELECT coalesce(max(part) + 1, 0)::int AS n FROM bulk_export_parts WHERE action_id = ${actionId}`.execute(
    db,
  );
  return r.rows[0]?.n ?? 0;
}

/** An export's parts in order, a few at a time (a large export is streamed, not held). */
export async function exportParts(db: Db, actionId: string, fromPart: number, limit: number) {
  return db
    .selectFrom('bulk_export_parts')
    .select(['part', 'body_enc'])
    .where('action_id', '=', actionId)
    .where('part', '>=', fromPart)
    .orderBy('part')
    .limit(limit)
    .execute();
}

/** Deletes the files of exports finished before `before` (the actions themselves stay, as a record). */
export async function dropOldExports(db: Db, before: Date): Promise<void> {
  await sql`
    DELETE FROM bulk_export_parts p USING bulk_actions a
    WHERE p.action_id = a.id AND a.finished_at < ${before}`.execute(db);
}
