import { sql } from 'kysely';
import type { Db } from './db.ts';

/*
 * Tables partitioned by month: `events` (migration 2026-12-11-27) and `run_history` (2026-12-12-28).
 * Each row carries `bucket`, the first day (UTC) of the month it was written in. One partition per
 * month, `<table>_YYYY_MM`; `<table>_before` holds what the previous schema stored, `<table>_kept`
 * what is kept past retention (bucket = infinity), `<table>_default` a month whose partition is
 * not made yet. What each table keeps, and when a month may go, is its own module's
 * (event-partitions.ts, run-history-partitions.ts).
 */

/** A table partitioned by month. */
export interface MonthlyTable {
  name: 'events' | 'run_history';
}

/** The bucket (YYYY-MM-01) of a moment, `months` months later (earlier when negative). */
export function monthBucket(at: Date, months = 0): string {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + months, 1));
  return d.toISOString().slice(0, 10);
}

/** The partition holding a table's month. */
export const partitionName = (table: MonthlyTable, bucket: string) =>
  `${table.name}_${bucket.slice(0, 4)}_${bucket.slice(5, 7)}`;

/**
 * Runs `work` in a transaction that holds the table whole: what making or dropping a partition
 * takes. The parent is locked first, as every reader and writer takes it, so no one holds a
 * partition while waiting for the parent (the other order deadlocked under load in a first
 * build). Held for milliseconds, once a month; waiting behind a long reader (a recompute) would
 * queue every writer behind this lock, so it gives up after 2 s and the next pass tries again.
 */
export function withTableLocked<T>(db: Db, table: MonthlyTable, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`SET LOCAL lock_timeout = '2s'`.execute(trx);
    await sql`LOCK TABLE ${sql.id(table.name)} IN ACCESS EXCLUSIVE MODE`.execute(trx);
    return work(trx);
  });
}

/** Months of a table's partitions there are, oldest first (their buckets). */
export async function monthsOf(db: Db, table: MonthlyTable): Promise<string[]> {
  const monthly = new RegExp(`^${table.name}_(\\d{4})_(\\d{2})$`);
  const r = await sql<{ name: string }>`
    SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = ${table.name}::regclass`.execute(db);
  return r.rows
    .map((row) => monthly.exec(row.name))
    .filter((m) => m !== null)
    .map((m) => `${m[1]}-${m[2]}-01`)
    .sort();
}

/** Months of partitions made ahead of `now` (and the one before, for late starts). */
const AHEAD = 2;

/**
 * Makes the months around `now` (the engine's clock) that do not exist yet: at start, before any
 * row arrives (else a fresh month's rows would wait in the default partition and be moved under
 * a lock that stops writers), and hourly by the retention jobs.
 */
export function makeMonthsAround(db: Db, table: MonthlyTable, now: Date): Promise<string[]> {
  return createMonths(
    db,
    table,
    Array.from({ length: AHEAD + 2 }, (_, i) => monthBucket(now, i - 1)),
  );
}

/**
 * Makes the partitions of `buckets` that do not exist yet. Rows of such a month written
 * meanwhile wait in the default partition: they move into the new one in the same transaction.
 */
export async function createMonths(db: Db, table: MonthlyTable, buckets: string[]): Promise<string[]> {
  const existing = new Set(await monthsOf(db, table));
  const parent = sql.id(table.name);
  const made: string[] = [];
  for (const bucket of buckets.filter((b) => !existing.has(b))) {
    const next = monthBucket(new Date(`${bucket}T00:00:00Z`), 1);
    // Under the table's lock, no row of the month lands in the default partition between the
    // move and the make (months are made two ahead, so this moves nothing unless one was late).
    await withTableLocked(db, table, async (trx) => {
      await sql`
        CREATE TEMP TABLE waiting ON COMMIT DROP AS
        WITH moved AS (DELETE FROM ${sql.id(`${table.name}_default`)}
          WHERE bucket >= ${bucket}::date AND bucket < ${next}::date RETURNING *)
        SELECT * FROM moved`.execute(trx);
      await sql`CREATE TABLE IF NOT EXISTS ${sql.id(partitionName(table, bucket))} PARTITION OF ${parent}
        FOR VALUES FROM (${sql.lit(bucket)}) TO (${sql.lit(next)})`.execute(trx);
      // The default partition has the parent's columns, in its order.
      await sql`INSERT INTO ${parent} SELECT * FROM waiting`.execute(trx);
    });
    made.push(bucket);
  }
  return made;
}

/** Whether the partition the previous schema's rows were attached as is still there. */
export const hasLegacyPartition = async (db: Db, table: MonthlyTable) =>
  (
    await sql<{
      present: boolean;
    }>`SELECT to_regclass(${`${table.name}_before`}) IS NOT NULL AS present`.execute(db)
  ).rows[0]?.present === true;

/** The months whose every row was written before `cutoff`. */
export async function monthsBefore(db: Db, table: MonthlyTable, cutoff: Date): Promise<string[]> {
  const day = cutoff.toISOString().slice(0, 10);
  return (await monthsOf(db, table)).filter((b) => monthBucket(new Date(`${b}T00:00:00Z`), 1) <= day);
}
