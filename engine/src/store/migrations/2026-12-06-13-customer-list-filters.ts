import { type Kysely, sql } from 'kysely';

/**
 * Frozen: the customers list filters by RFM segment and ABC class and pages by id; these keep a
 * filtered page an index read on a large base instead of a walk through every customer.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX customer_metrics_segment ON customer_metrics (segment, customer_id) WHERE segment IS NOT NULL;
    CREATE INDEX customer_metrics_abc ON customer_metrics (abc, customer_id) WHERE abc IS NOT NULL;
  `.execute(db);
}
