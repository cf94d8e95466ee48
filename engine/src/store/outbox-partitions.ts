import { sql } from 'kysely';
import type { Db } from './db.ts';
import {
  hasLegacyPartition,
  LOCK_TIMEOUT,
  type MonthlyTable,
  makeMonthsAround,
  monthBucket,
  monthsBefore,
  partitionName,
} from './monthly-partitions.ts';

/*
 * `outbox` is partitioned by `bucket`, the first day (UTC) of the month a message was created in
 * (migration 2026-12-13-29; the months themselves: monthly-partitions.ts). A month goes whole once
 * past retention, but for its messages still in flight (pending, being sent, deferred) or held
 * for a person's decision (uncertain): those are set aside in `outbox_kept` first, with their
 * keys, and leave it once settled and that old.
 */
export const OUTBOX: MonthlyTable = {
  name: 'outbox',
  columns: [
    'key',
    'customer_id',
    'workflow_id',
    'run_id',
    'channel',
    'template',
    'locale',
    'purpose',
    'status',
    'reason',
    'detail',
    'provider',
    'provider_id',
    'to_enc',
    'content_enc',
    'attempts',
    'feedback',
    'created_at',
    'sent_at',
    'deferred_until',
    'updated_at',
    'bucket',
  ],
};

/** What a message ends as: nothing sends it again, and no person is asked about it. */
const DONE = sql`('sent', 'skipped', 'failed')`;

/** Makes the months of the outbox around `now` (the engine's clock) that do not exist yet. */
export const makeOutboxMonthsAround = (db: Db, now: Date) => makeMonthsAround(db, OUTBOX, now);

/**
 * Drops the months of messages created before `cutoff`, and `outbox_before` once its newest
 * message was, after setting aside those not done; then the keys of what went (a key sent again
 * after that is a new message), and the messages set aside earlier that are done and that old.
 */
export async function dropOutboxBefore(db: Db, cutoff: Date): Promise<string[]> {
  const dropped: string[] = [];
  for (const bucket of await monthsBefore(db, OUTBOX, cutoff)) {
    const name = partitionName(OUTBOX, bucket);
    await dropMonth(db, name);
    dropped.push(name);
  }
  if (await hasLegacyPartition(db, OUTBOX)) {
    const newest = await sql<{ at: Date | null }>`SELECT max(created_at) AS at FROM outbox_before`.execute(
      db,
    );
    const at = newest.rows[0]?.at ?? null;
    if (at === null || at < cutoff) {
      await dropMonth(db, 'outbox_before');
      dropped.push('outbox_before');
    }
  }
  const legacy = await hasLegacyPartition(db, OUTBOX);
  // Rows, outside any lock: keys of messages no longer stored, and what was set aside and is
  // done by now. Should this fail, the next pass does it.
  await sql`
    DELETE FROM outbox_keys
    WHERE bucket < ${monthBucket(cutoff)}::date AND (bucket <> '-infinity' OR NOT ${legacy})`.execute(db);
  await sql`
    WITH gone AS (
      DELETE FROM outbox_kept WHERE status IN ${DONE} AND created_at < ${cutoff} RETURNING key
    )
    DELETE FROM outbox_keys k USING gone WHERE k.key = gone.key`.execute(db);
  return dropped;
}

async function dropMonth(db: Db, name: string): Promise<void> {
  const month = sql.id(name);
  const columns = sql.join(OUTBOX.columns.filter((c) => c !== 'bucket').map((c) => sql.id(c)));
  await db.transaction().execute(async (trx) => {
    // The parent first, as every reader and writer takes it (monthly-partitions.ts#createMonths).
    // Messages in flight are set aside under the same lock: a sender updating one by its key and
    // month meanwhile would find it moved and its update lost. They are few (a month old and
    // still not done), so writers wait milliseconds, once a month.
    await sql`SET LOCAL lock_timeout = ${LOCK_TIMEOUT}`.execute(trx);
    await sql`LOCK TABLE outbox IN ACCESS EXCLUSIVE MODE`.execute(trx);
    await sql`
      WITH moved AS (
        DELETE FROM ${month} WHERE status NOT IN ${DONE} RETURNING *
      ),
      kept AS (
        INSERT INTO outbox (${columns}, bucket) SELECT ${columns}, 'infinity' FROM moved RETURNING key
      )
      UPDATE outbox_keys k SET bucket = 'infinity' FROM kept WHERE k.key = kept.key`.execute(trx);
    await sql`DROP TABLE ${month}`.execute(trx);
  });
}
