import { type RawBuilder, sql } from 'kysely';
import { anyOf, type Db } from './db.ts';
import { type StoredEvent, toStored } from './events.ts';

/**
 * The statement that marks the events a preceding statement of the same query returned (as
 * `from`, with `seq` and `customer_id`) as waiting to be offered to journeys.
 */
export function markWaiting(from: string): RawBuilder<unknown> {
  return sql`
    INSERT INTO event_dispatch (seq, customer_id)
    SELECT seq, customer_id FROM ${sql.table(from)}
    ON CONFLICT DO NOTHING`;
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
