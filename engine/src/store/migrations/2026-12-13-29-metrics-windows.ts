import { type Kysely, sql } from 'kysely';

/**
 * Frozen: `customer_metrics.windows_change_at`, the first moment one of a customer's 30-, 90- or
 * 365-day purchase figures changes because an order leaves its window (NULL: no order inside
 * any window). The nightly pass re-counts only the customers whose moment has come, instead of
 * every order of the base (store/customer-metrics.ts). Rows written before have NULL until the
 * first pass over every customer, which the engine runs when it has not recorded one
 * (`lifecycle.metrics` in engine_state, absent on an upgraded database).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE customer_metrics ADD COLUMN windows_change_at timestamptz;
    CREATE INDEX customer_metrics_windows_change ON customer_metrics (windows_change_at)
      WHERE windows_change_at IS NOT NULL;
  `.execute(db);
}
