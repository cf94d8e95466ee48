import { type RawBuilder, sql } from 'kysely';
import { anyOf, type Db } from './db.ts';
import { type StoredEvent, toStored } from './events.ts';
import { type Statement, statement } from './pipeline.ts';

/**
 * The statement that marks the events a preceding statement of the same query returned (as
 * `from`, with `seq`, `customer_id` and `bucket`) as waiting to be offered to journeys.
 */
export function markWaiting(from: string): RawBuilder<unknown> {
  return sql`
    INSERT INTO event_dispatch (seq, customer_id, bucket)
    SELECT seq, customer_id, bucket::date FROM ${sql.table(from)}
    ON CONFLICT DO NOTHING`;
}

/**
 * The waiting events of these customers, oldest first. Call with the customers locked.
 *
 * Each event is looked up by its seq and month (LATERAL: a lookup per waiting row), so
 * PostgreSQL reads the one partition of that month (run-time pruning) instead of probing every
 * month's key for the seq. A statement, to send with the dispatch's other first reads
 * (store/pipeline.ts).
 */
export function readingPendingEvents(db: Db, customerIds: string[]): Statement<StoredEvent[]> {
  return statement(customerIds.length === 0 ? null : pendingEventsQuery(db, customerIds).compile(), (rows) =>
    rows.map(toStored),
  );
}

/** readingPendingEvents' query, for its plan to be checked (tests/engine/event-retention.test.ts). */
export function pendingEventsQuery(db: Db, customerIds: string[]) {
  return db
    .selectFrom('event_dispatch as d')
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('events as e')
          .select(['e.seq', 'e.id', 'e.customer_id', 'e.type', 'e.data', 'e.occurred_at'])
          .select(sql<string>`e.bucket::text`.as('bucket'))
          .whereRef('e.seq', '=', 'd.seq')
          .whereRef('e.customer_id', '=', 'd.customer_id')
          .whereRef('e.bucket', '=', 'd.bucket')
          // One row at most (the key); the limit also keeps the planner from flattening the
          // lookup into a join that would read every partition.
          .limit(1)
          .as('e'),
      (join) => join.onTrue(),
    )
    .select(['e.seq', 'e.id', 'e.customer_id', 'e.type', 'e.data', 'e.occurred_at', 'e.bucket'])
    .where('d.customer_id', '=', anyOf(customerIds))
    .orderBy('e.seq');
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
