import { type Kysely, sql } from 'kysely';

/**
 * Frozen: `customer_metrics.windows_change_at` loses its index (made by migration 29).
 *
 * The nightly pass rewrites that column for every customer it counts again (some 40,000 a night
 * on a million customers). Indexed, each of those writes was a new row version entered in every
 * index of the table; unindexed, PostgreSQL updates the row in place on its page (a HOT update)
 * when the page has room. The pass finds whom to count with one read of the table instead of the
 * index: about 180 ms against 110–130 ms on a million customers, while the write went from 7.9–8.9 s
 * to 5.9–6.6 s (the same base, nights in turn with and without the index).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS customer_metrics_windows_change`.execute(db);
}
