import { sql } from 'kysely';
import type { Db } from './db.ts';

/** A customer who would have entered a paused journey: the event that would have started the run. */
export interface PausedEntry {
  workflowId: string;
  customerId: string;
  eventSeq: string;
  key: string | null;
  at: Date;
}

export async function insertPausedEntries(db: Db, rows: PausedEntry[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('paused_entries')
    .values(
      rows.map((r) => ({
        workflow_id: r.workflowId,
        customer_id: r.customerId,
        event_seq: r.eventSeq,
        key: r.key,
        at: r.at,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function countPausedEntries(db: Db, workflowId: string): Promise<number> {
  const row = await db
    .selectFrom('paused_entries')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('workflow_id', '=', workflowId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Forgets who would have entered (resume without admitting them). */
export async function discardPausedEntries(db: Db, workflowId: string): Promise<number> {
  const gone = await db.deleteFrom('paused_entries').where('workflow_id', '=', workflowId).executeTakeFirst();
  return Number(gone.numDeletedRows);
}

/**
 * The next customers with entries waiting to be admitted, for a journey that is running again;
 * skips customers another process is admitting. Call inside a transaction.
 */
export async function claimPausedEntries(
  db: Db,
  workflowId: string,
  customers: number,
): Promise<PausedEntry[]> {
  const rows = await sql<{ customer_id: string; event_seq: string; key: string | null; at: Date }>`
    SELECT customer_id, event_seq, key, at FROM paused_entries
    WHERE workflow_id = ${workflowId} AND customer_id IN (
      SELECT DISTINCT customer_id FROM paused_entries WHERE workflow_id = ${workflowId} LIMIT ${customers})
    ORDER BY customer_id, event_seq
    FOR UPDATE SKIP LOCKED`.execute(db);
  return rows.rows.map((r) => ({
    workflowId,
    customerId: r.customer_id,
    eventSeq: String(r.event_seq),
    key: r.key,
    at: r.at,
  }));
}

export async function deletePausedEntries(db: Db, workflowId: string, customerIds: string[]): Promise<void> {
  if (customerIds.length === 0) return;
  await db
    .deleteFrom('paused_entries')
    .where('workflow_id', '=', workflowId)
    .where('customer_id', 'in', customerIds)
    .execute();
}

/** Running journeys that still have entries from their pause to admit. */
export async function workflowsToAdmit(db: Db): Promise<string[]> {
  const rows = await sql<{ workflow_id: string }>`
    SELECT DISTINCT e.workflow_id FROM paused_entries e
    JOIN workflows w ON w.id = e.workflow_id AND w.paused_at IS NULL`.execute(db);
  return rows.rows.map((r) => r.workflow_id);
}

/** A customer's paused entries, for explain. */
export async function pausedEntriesOf(
  db: Db,
  customerId: string,
  workflowId?: string,
): Promise<PausedEntry[]> {
  const rows = await db
    .selectFrom('paused_entries')
    .selectAll()
    .where('customer_id', '=', customerId)
    .$if(workflowId !== undefined, (q) => q.where('workflow_id', '=', workflowId as string))
    .orderBy('event_seq')
    .execute();
  return rows.map((r) => ({
    workflowId: r.workflow_id,
    customerId: r.customer_id,
    eventSeq: String(r.event_seq),
    key: r.key,
    at: r.at,
  }));
}
