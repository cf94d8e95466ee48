import { sql } from 'kysely';
import type { Db } from './db.ts';

/*
 * `events` is partitioned by `bucket`, the first day (UTC) of the month an event was received in
 * (migration 2026-12-11-27). One partition per month, `events_YYYY_MM`; `events_before` holds what the
 * previous schema stored, `events_kept` what is kept past retention, `events_default` a month
 * whose partition is not made yet.
 */

/** The bucket (YYYY-MM-01) of a moment, `months` months later (earlier when negative). */
export function monthBucket(at: Date, months = 0): string {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + months, 1));
  return d.toISOString().slice(0, 10);
}

/** The partition holding a month's events. */
export const partitionName = (bucket: string) => `events_${bucket.slice(0, 4)}_${bucket.slice(5, 7)}`;

/** How long making or dropping a month waits for the table before trying again next time. */
const LOCK_TIMEOUT = '2s';

const MONTHLY = /^events_(\d{4})_(\d{2})$/;

/** Months of events partitions there are, oldest first (their buckets). */
export async function eventMonths(db: Db): Promise<string[]> {
  const r = await sql<{ name: string }>`
    SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'events'::regclass`.execute(db);
  return r.rows
    .map((row) => MONTHLY.exec(row.name))
    .filter((m) => m !== null)
    .map((m) => `${m[1]}-${m[2]}-01`)
    .sort();
}

/** Months of partitions made ahead of `now` (and the one before, for late starts). */
const AHEAD = 2;

/**
 * Makes the months around `now` (the engine's clock) that do not exist yet: at start, before any
 * event arrives (else a fresh month's events would wait in the default partition and be moved
 * under a lock that stops ingest), and hourly by the retention job.
 */
export function makeEventMonthsAround(db: Db, now: Date): Promise<string[]> {
  return createEventMonths(
    db,
    Array.from({ length: AHEAD + 2 }, (_, i) => monthBucket(now, i - 1)),
  );
}

/**
 * Makes the partitions of `buckets` that do not exist yet. Events of such a month received
 * meanwhile wait in `events_default`: they move into the new partition in the same transaction.
 */
export async function createEventMonths(db: Db, buckets: string[]): Promise<string[]> {
  const existing = new Set(await eventMonths(db));
  const made: string[] = [];
  for (const bucket of buckets.filter((b) => !existing.has(b))) {
    const next = monthBucket(new Date(`${bucket}T00:00:00Z`), 1);
    const table = sql.id(partitionName(bucket));
    await db.transaction().execute(async (trx) => {
      // Making a partition locks the parent, then the default partition: taking the parent first
      // (as every reader and writer does) means no one holds one while waiting for the other,
      // and no event of the month lands in the default partition between the move and the make.
      // Held for milliseconds, once a month; waiting behind a long reader (a recompute) would
      // queue every ingest behind this lock, so it gives up instead and the next run tries again
      // (months are made two ahead).
      await sql`SET LOCAL lock_timeout = ${sql.lit(LOCK_TIMEOUT)}`.execute(trx);
      await sql`LOCK TABLE events IN ACCESS EXCLUSIVE MODE`.execute(trx);
      await sql`
        CREATE TEMP TABLE waiting ON COMMIT DROP AS
        WITH moved AS (DELETE FROM events_default WHERE bucket >= ${bucket}::date AND bucket < ${next}::date
          RETURNING seq, id, customer_id, type, data, occurred_at, received_at, bucket)
        SELECT * FROM moved`.execute(trx);
      await sql`CREATE TABLE IF NOT EXISTS ${table} PARTITION OF events FOR VALUES FROM (${sql.lit(bucket)}) TO (${sql.lit(next)})`.execute(
        trx,
      );
      await sql`
        INSERT INTO events (seq, id, customer_id, type, data, occurred_at, received_at, bucket)
        SELECT seq, id, customer_id, type, data, occurred_at, received_at, bucket FROM waiting`.execute(trx);
    });
    made.push(bucket);
  }
  return made;
}

/**
 * Drops the months whose every event was received before `cutoff`, and `events_before` once its
 * newest event was. Events of the `kept` types are first moved into `events_kept`, with their
 * sequence numbers, so what is computed from them (purchases: RFM, predictions) stays whole.
 * Then the keys of the dropped events go (trimKeys): until then a resend of one is still a
 * duplicate.
 */
export async function dropEventsBefore(db: Db, cutoff: Date, kept: string[]): Promise<string[]> {
  const dropped: string[] = [];
  const expired = (await eventMonths(db)).filter(
    (b) => monthBucket(new Date(`${b}T00:00:00Z`), 1) <= iso(cutoff),
  );
  for (const bucket of expired) {
    await dropPartition(db, partitionName(bucket), bucket, kept);
    dropped.push(partitionName(bucket));
  }
  if (await hasLegacyPartition(db)) {
    // The newest by sequence number, through the key: received last, within a transaction's time.
    const before = await sql<{ received_at: Date }>`
      SELECT received_at FROM events_before ORDER BY seq DESC LIMIT 1`.execute(db);
    const newest = before.rows[0]?.received_at;
    if (newest === undefined || newest < cutoff) {
      await dropPartition(db, 'events_before', '-infinity', kept);
      dropped.push('events_before');
    }
  }
  if (dropped.length > 0) await trimKeys(db, monthBucket(cutoff));
  return dropped;
}

const hasLegacyPartition = async (db: Db) =>
  (await sql<{ present: boolean }>`SELECT to_regclass('events_before') IS NOT NULL AS present`.execute(db))
    .rows[0]?.present === true;

/**
 * Deletes the keys of events no longer stored: those of the months before `below` (every one of
 * them dropped), and of `events_before` once it is gone. Rows, not a partition: the key table
 * cannot be partitioned by month (its one unique index is what makes ingest idempotent), so this
 * reads it whole, once per drop, outside the drop's lock. Should it fail, the next drop's trim
 * takes these keys too.
 */
async function trimKeys(db: Db, below: string): Promise<void> {
  const legacy = await hasLegacyPartition(db);
  await sql`
    DELETE FROM event_keys
    WHERE bucket < ${below}::date AND (bucket <> '-infinity' OR NOT ${legacy})`.execute(db);
}

async function dropPartition(db: Db, name: string, bucket: string, kept: string[]): Promise<void> {
  const month = sql`${bucket}::date`;
  await db.transaction().execute(async (trx) => {
    // The parent first, as everyone takes it (see createEventMonths): held while the file goes.
    await sql`SET LOCAL lock_timeout = ${sql.lit(LOCK_TIMEOUT)}`.execute(trx);
    await sql`LOCK TABLE events IN ACCESS EXCLUSIVE MODE`.execute(trx);
    // Set aside under the same lock: copied earlier, a recompute reading orders between the copy
    // and the drop (or for the hour until the next try, had the drop timed out) would count each
    // of them twice. Ingest waits meanwhile, once a month, as long as the month's orders take to
    // copy (docs/scaling.md). Their keys move with them, so trimKeys leaves them.
    if (kept.length > 0) {
      await sql`
        WITH moved AS (
          INSERT INTO events (seq, id, customer_id, type, data, occurred_at, received_at, bucket)
          SELECT seq, id, customer_id, type, data, occurred_at, received_at, 'infinity'
          FROM events WHERE bucket = ${month} AND type = ANY(${kept}::text[])
          RETURNING customer_id, id
        )
        UPDATE event_keys k SET bucket = 'infinity' FROM moved m
        WHERE k.customer_id = m.customer_id AND k.id = m.id`.execute(trx);
    }
    // What still points at the month by (seq, month): a kept event now lives in events_kept, any
    // other is gone (a dispatch row left pointing at nothing would be swept again for ever). Both
    // are rare (a year-old event not yet dispatched, or waiting in an inbox), hence no index.
    await sql`
      UPDATE event_dispatch d SET bucket = 'infinity' FROM events_kept k
      WHERE d.bucket = ${month} AND k.seq = d.seq AND k.customer_id = d.customer_id`.execute(trx);
    await sql`DELETE FROM event_dispatch WHERE bucket = ${month}`.execute(trx);
    await sql`
      UPDATE run_inbox i SET event_bucket = 'infinity' FROM events_kept k
      WHERE i.event_bucket = ${month} AND k.seq = i.event_seq`.execute(trx);
    await sql`DELETE FROM run_inbox WHERE event_bucket = ${month}`.execute(trx);
    await sql`DROP TABLE ${sql.id(name)}`.execute(trx);
  });
}

const iso = (at: Date) => at.toISOString().slice(0, 10);
