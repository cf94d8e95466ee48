import { sql } from 'kysely';
import type { Db } from './db.ts';
import type { EventView } from './run-types.ts';

export interface NewEvent {
  id: string;
  customerId: string;
  type: string;
  data: Record<string, unknown>;
  occurredAt: Date;
}

export interface StoredEvent extends EventView {
  seq: string;
  id: string;
  customerId: string;
}

/**
 * Appends events, received `now`; an id seen before is skipped (idempotent ingest). Returns what
 * was new, in input order, with its sequence number.
 */
export async function insertEvents(
  db: Db,
  events: NewEvent[],
  now: Date,
): Promise<{ seq: string; id: string; customerId: string }[]> {
  if (events.length === 0) return [];
  const result = await insertEventRows(events, now).execute(db);
  return result.rows.map((r) => ({ seq: r.seq, id: r.id, customerId: r.customer_id }));
}

/** The statement of insertEvents, returning `seq, id, customer_id` of each new event. */
export function insertEventRows(events: NewEvent[], now: Date) {
  return sql<{ seq: string; id: string; customer_id: string }>`
    INSERT INTO events (id, customer_id, type, data, occurred_at, received_at)
    SELECT e.id, e.customer_id, e.type, e.data, e.occurred_at, ${now}::timestamptz
    FROM ROWS FROM (
      jsonb_to_recordset(${JSON.stringify(events.map(toRecord))}::jsonb)
        AS (id text, customer_id text, type text, data jsonb, occurred_at timestamptz)
    ) WITH ORDINALITY AS e(id, customer_id, type, data, occurred_at, n)
    ORDER BY e.n
    ON CONFLICT (id, customer_id) DO NOTHING
    RETURNING seq, id, customer_id`;
}

function toRecord(e: NewEvent) {
  return {
    id: e.id,
    customer_id: e.customerId,
    type: e.type,
    data: e.data,
    occurred_at: e.occurredAt.toISOString(),
  };
}

export async function eventsBySeq(db: Db, seqs: string[]): Promise<StoredEvent[]> {
  if (seqs.length === 0) return [];
  const rows = await db
    .selectFrom('events')
    .select(['seq', 'id', 'customer_id', 'type', 'data', 'occurred_at'])
    .where('seq', 'in', seqs)
    .orderBy('seq')
    .execute();
  return rows.map(toStored);
}

export async function recentEvents(db: Db, customerId: string, limit: number): Promise<StoredEvent[]> {
  const rows = await db
    .selectFrom('events')
    .select(['seq', 'id', 'customer_id', 'type', 'data', 'occurred_at'])
    .where('customer_id', '=', customerId)
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toStored);
}

export function toStored(r: {
  seq: string;
  id: string;
  customer_id: string;
  type: string;
  data: unknown;
  occurred_at: Date;
}): StoredEvent {
  return {
    seq: r.seq,
    id: r.id,
    customerId: r.customer_id,
    type: r.type,
    data: (r.data ?? {}) as Record<string, unknown>,
    occurredAt: r.occurred_at.toISOString(),
  };
}
