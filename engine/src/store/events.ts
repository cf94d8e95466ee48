import { type RawBuilder, sql } from 'kysely';
import type { Db } from './db.ts';
import { monthBucket } from './monthly-partitions.ts';
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
  /** The month it was received in (YYYY-MM-01, `-infinity` before partitioning): its partition. */
  bucket: string;
}

/** A stored event's place: its sequence number and month, which together find it in one partition. */
export interface EventRef {
  seq: string;
  bucket: string;
}

/** What insertEvents answers for each new event. */
export interface InsertedEvent extends EventRef {
  id: string;
  customerId: string;
}

/**
 * Appends events, received `now`; an id seen before for the same customer is skipped (idempotent
 * ingest), for as long as the event is kept. Returns what was new, in input order, with its
 * sequence number and month.
 */
export async function insertEvents(db: Db, events: NewEvent[], now: Date): Promise<InsertedEvent[]> {
  if (events.length === 0) return [];
  const result = await insertEventRows(events, now).execute(db);
  return result.rows.map(toInserted);
}

export function toInserted(r: {
  seq: string;
  id: string;
  customer_id: string;
  bucket: string;
}): InsertedEvent {
  return { seq: r.seq, id: r.id, customerId: r.customer_id, bucket: r.bucket };
}

/** The statement of insertEvents, returning `seq, id, customer_id, bucket` of each new event. */
export function insertEventRows(events: NewEvent[], now: Date) {
  return sql<{ seq: string; id: string; customer_id: string; bucket: string }>`
    WITH ${storedEvents(events, now)}
    SELECT seq, id, customer_id, bucket FROM stored`;
}

/**
 * The common table expressions that store events, for a statement to compose (PostgreSQL takes
 * data-modifying ones at the top level only): `stored` answers `seq, id, customer_id, bucket`
 * of each new event, in input order.
 *
 * `events` is partitioned by month received and has no key by id (a partitioned table's keys
 * must hold the month). `event_keys` has it: an event is stored only if its key was new, in the
 * same statement, so two copies sent at once (in one request, or in two at the same moment,
 * across a month's turn too) meet on that one unique index. The first copy in input order wins.
 */
export function storedEvents(events: NewEvent[], now: Date): RawBuilder<unknown> {
  return storedEventsOf(
    sql`
      SELECT DISTINCT ON (e.customer_id, e.id) e.*
      FROM ROWS FROM (
        jsonb_to_recordset(${JSON.stringify(events.map(toRecord))}::jsonb)
          AS (id text, customer_id text, type text, data jsonb, occurred_at timestamptz)
      ) WITH ORDINALITY AS e(id, customer_id, type, data, occurred_at, n)
      ORDER BY e.customer_id, e.id, e.n`,
    now,
  );
}

/**
 * storedEvents of the events `input` selects, from what the statement's earlier common table
 * expressions wrote: `id, customer_id, type, data, occurred_at` and their order `n`, one row per
 * (customer_id, id).
 */
export function storedEventsOf(input: RawBuilder<unknown>, now: Date): RawBuilder<unknown> {
  const bucket = sql`${monthBucket(now)}::date`;
  return sql`
    event_input AS (${input}),
    new_keys AS (
      INSERT INTO event_keys (customer_id, id, bucket)
      SELECT customer_id, id, ${bucket} FROM event_input ORDER BY n
      ON CONFLICT DO NOTHING
      RETURNING customer_id, id
    ),
    stored AS (
      INSERT INTO events (id, customer_id, type, data, occurred_at, received_at, bucket)
      SELECT i.id, i.customer_id, i.type, i.data, i.occurred_at, ${now}::timestamptz, ${bucket}
      FROM event_input i JOIN new_keys k ON k.customer_id = i.customer_id AND k.id = i.id
      ORDER BY i.n
      RETURNING seq, id, customer_id, bucket::text AS bucket
    )`;
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

/** Events with the columns a StoredEvent is made of (toStored). */
function selectStored(db: Db) {
  return db
    .selectFrom('events')
    .select([
      'seq',
      'id',
      'customer_id',
      'type',
      'data',
      'occurred_at',
      sql<string>`bucket::text`.as('bucket'),
    ]);
}

export async function eventsBySeq(db: Db, seqs: string[]): Promise<StoredEvent[]> {
  if (seqs.length === 0) return [];
  const rows = await selectStored(db).where('seq', 'in', seqs).orderBy('seq').execute();
  return rows.map(toStored);
}

export async function recentEvents(db: Db, customerId: string, limit: number): Promise<StoredEvent[]> {
  const rows = await selectStored(db)
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
  bucket: string;
}): StoredEvent {
  return {
    seq: r.seq,
    bucket: r.bucket,
    id: r.id,
    customerId: r.customer_id,
    type: r.type,
    data: (r.data ?? {}) as Record<string, unknown>,
    occurredAt: r.occurred_at.toISOString(),
  };
}
