import { type Kysely, sql } from 'kysely';

/**
 * Frozen: each buyer's predictions from the nightly purchase model (BG/NBD with Gamma-Gamma):
 * the probability of being still active, the expected orders of the next 90 days and the
 * predicted value of the next year, with when and by which model version they were made.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE customer_predictions (
      customer_id text PRIMARY KEY,
      p_alive double precision NOT NULL,
      expected_orders_90d double precision NOT NULL,
      predicted_value numeric(14, 2) NOT NULL,
      fitted_at timestamptz NOT NULL,
      model_version text NOT NULL
    );
  `.execute(db);
}
