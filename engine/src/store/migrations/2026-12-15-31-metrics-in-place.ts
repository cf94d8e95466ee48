import { type Kysely, sql } from 'kysely';

/**
 * Frozen: the nightly pass's writes to `customer_metrics` stay on their pages.
 *
 * The pass rewrites the windowed figures and `windows_change_at` of every customer it counts
 * again (some 40,000 a night on a million customers). Each write was a new row version on
 * another page with an entry in every index of the table: the column was indexed (migration
 * 29), and the pages were full. Without the index and with a tenth of each page left free,
 * PostgreSQL updates such a row in place (a HOT update) and touches no index. On the
 * benchmark's million-customer base, nights in turn: the recount's write 7.9–8.9 s with the
 * index, 5.7–7.3 s without, 4.3–4.4 s with the pages' room too (half the pages dirtied, each a
 * full-page image in the WAL after a checkpoint). The pass finds whom to count with one read of
 * the table instead of the index (about 180 ms against 110–130 ms).
 *
 * The fill factor applies to pages written from now on; `VACUUM FULL customer_metrics` (the
 * table locked while it is rewritten, seconds per million customers) applies it at once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS customer_metrics_windows_change`.execute(db);
  await sql`ALTER TABLE customer_metrics SET (fillfactor = 90)`.execute(db);
}
