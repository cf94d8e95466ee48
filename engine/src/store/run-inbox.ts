import { sql } from 'kysely';
import type { Db } from './db.ts';
import { type StoredEvent, toStored } from './events.ts';

/** Keeps events that arrived while a run was busy with steps (DESIGN §4, guarantee 3). */
export async function addToInbox(db: Db, rows: { runId: string; seq: string }[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('run_inbox')
    .values(rows.map((r) => ({ run_id: r.runId, event_seq: r.seq })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Inbox events of these runs, oldest first, grouped by run. */
export async function inboxOf(db: Db, runIds: string[]): Promise<Map<string, StoredEvent[]>> {
  const out = new Map<string, StoredEvent[]>();
  if (runIds.length === 0) return out;
  const rows = await db
    .selectFrom('run_inbox as i')
    .innerJoin('events as e', 'e.seq', 'i.event_seq')
    .select(['i.run_id', 'e.seq', 'e.id', 'e.customer_id', 'e.type', 'e.data', 'e.occurred_at'])
    .where('i.run_id', 'in', runIds)
    .orderBy('e.seq')
    .execute();
  for (const r of rows) {
    const list = out.get(r.run_id) ?? [];
    list.push(toStored(r));
    out.set(r.run_id, list);
  }
  return out;
}

export async function removeFromInbox(db: Db, rows: { runId: string; seq: string }[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    DELETE FROM run_inbox i USING unnest(${rows.map((r) => r.runId)}::uuid[], ${rows.map((r) => r.seq)}::bigint[]) AS d(run_id, seq)
    WHERE i.run_id = d.run_id AND i.event_seq = d.seq`.execute(db);
}

/** Drops the inbox of runs that ended: nothing will ever read it. */
export async function clearInbox(db: Db, runIds: string[]): Promise<void> {
  if (runIds.length === 0) return;
  await sql`DELETE FROM run_inbox WHERE run_id = ANY(${runIds}::uuid[])`.execute(db);
}
