import { sql } from 'kysely';
import type { Db } from './db.ts';
import {
  createMonths,
  hasLegacyPartition,
  type MonthlyTable,
  makeMonthsAround,
  monthBucket,
  monthsBefore,
  partitionName,
  withTableLocked,
} from './monthly-partitions.ts';

/*
 * `events` is partitioned by `bucket`, the first day (UTC) of the month an event was received in
 * (migration 2026-12-11-27; the months themselves: monthly-partitions.ts). `events_kept` holds the
 * purchases kept past retention.
 */
export const EVENTS: MonthlyTable = { name: 'events' };

/** Makes the months of events around `now` (the engine's clock) that do not exist yet. */
export const makeEventMonthsAround = (db: Db, now: Date) => makeMonthsAround(db, EVENTS, now);

/** Makes the months of events of `buckets` that do not exist yet. */
export const createEventMonths = (db: Db, buckets: string[]) => createMonths(db, EVENTS, buckets);

/**
 * Drops the months whose every event was received before `cutoff`, and `events_before` once its
 * newest event was. Events of the `kept` types are first moved into `events_kept`, with their
 * sequence numbers, so what is computed from them (purchases: RFM, predictions) stays whole.
 * Then the keys of the dropped events go (trimKeys): until then a resend of one is still a
 * duplicate.
 */
export async function dropEventsBefore(db: Db, cutoff: Date, kept: string[]): Promise<string[]> {
  const dropped: string[] = [];
  for (const bucket of await monthsBefore(db, EVENTS, cutoff)) {
    await dropPartition(db, partitionName(EVENTS, bucket), bucket, kept);
    dropped.push(partitionName(EVENTS, bucket));
  }
  if (await hasLegacyPartition(db, EVENTS)) {
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

/**
 * Deletes the keys of events no longer stored: those of the months before `below` (every one of
 * them dropped), and of `events_before` once it is gone. Rows, not a partition: the key table
 * cannot be partitioned by month (its one unique index is what makes ingest idempotent), so this
 * reads it whole, once per drop, outside the drop's lock. Should it fail, the next drop's trim
 * takes these keys too.
 */
async function trimKeys(db: Db, below: string): Promise<void> {
  const legacy = await hasLegacyPartition(db, EVENTS);
  await sql`
    DELETE FROM event_keys
    WHERE bucket < ${below}::date AND (bucket <> '-infinity' OR NOT ${legacy})`.execute(db);
}

async function dropPartition(db: Db, name: string, bucket: string, kept: string[]): Promise<void> {
  const month = sql`${bucket}::date`;
  await withTableLocked(db, EVENTS, async (trx) => {
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
