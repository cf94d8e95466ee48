import { type Kysely, sql } from 'kysely';

/**
 * Frozen: finding customers on a large base.
 * - Partial-name search: `name_grams` holds keyed hashes of a name's fragments (never the name);
 *   the GIN index answers "has all of these" in one probe. Names stored before this are indexed
 *   by the engine at start (it has the key; SQL has not): the partial index finds them.
 * - The list's sorts (newest sign-up, latest order, highest revenue) walk these indexes instead
 *   of sorting the whole base for each page.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE customers ADD COLUMN name_grams int4[];
    CREATE INDEX customers_name_grams ON customers USING gin (name_grams) WHERE erased_at IS NULL;
    CREATE INDEX customers_name_unindexed ON customers (id) WHERE name_enc IS NOT NULL AND name_grams IS NULL;
    CREATE INDEX customers_created ON customers (created_at DESC, id DESC) WHERE erased_at IS NULL;
    CREATE INDEX customer_metrics_revenue ON customer_metrics (revenue DESC, customer_id DESC);
    CREATE INDEX customer_metrics_last_order ON customer_metrics (last_order_at DESC, customer_id DESC)
      WHERE last_order_at IS NOT NULL;
  `.execute(db);
}
