import { sql } from 'kysely';
import { anyOf, type Db } from './db.ts';
import { type StoredEvent, toStored } from './events.ts';

/** Marks stored events as waiting to be offered to journeys. */
export async function enqueueDispatch(db: Db, rows: { seq: string; customerId: string }[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    INSERT INTO event_dispatch (seq, customer_id)
    SELECT * FROM unnest(${rows.map((r) => r.seq)}::bigint[], ${rows.map((r) => r.customerId)}::text[])
    ON CONFLICT DO NOTHING`.execute(db);
}

/** The waiting events of these customers, oldest first. Call with the customers locked. */
export async function pendingEvents(db: Db, customerIds: string[]): Promise<StoredEvent[]> {
  if (customerIds.length === 0) return [];
  const rows = await db
    .selectFrom('event_dispatch as d')
    .innerJoin('events as e', 'e.seq', 'd.seq')
    .select(['e.seq', 'e.id', 'e.customer_id', 'e.type', 'e.data', 'e.occurred_at'])
    .where('d.customer_id', '=', anyOf(customerIds))
    .orderBy('e.seq')
    .execute();
  return rows.map(toStored);
}

export async function markDispatched(db: Db, seqs: string[]): Promise<void> {
  if (seqs.length === 0) return;
  await sql`DELETE FROM event_dispatch WHERE seq = ANY(${seqs}::bigint[])`.execute(db);
}

/** The oldest waiting events (for the sweep that catches events whose dispatch job was lost). */
export async function oldestPending(db: Db, limit: number): Promise<{ seq: string; customerId: string }[]> {
  const rows = await db
    .selectFrom('event_dispatch')
    .select(['seq', 'customer_id'])
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ seq: r.seq, customerId: r.customer_id }));
}
