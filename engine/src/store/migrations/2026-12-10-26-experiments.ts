import { type Kysely, sql } from 'kysely';

/**
 * Frozen: experiments on splits. Which arm each run took (written with the run's transition),
 * whether it converted within the window, once settled; and the decision of each experiment,
 * with the numbers it was made on.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE experiment_assignments (
      customer_id text NOT NULL,
      run_id uuid NOT NULL,
      workflow_id text NOT NULL,
      experiment text NOT NULL,
      arm int NOT NULL,
      route text NOT NULL,
      entered_at timestamptz NOT NULL,
      converted_at timestamptz,
      settled boolean NOT NULL DEFAULT false,
      PRIMARY KEY (customer_id, run_id, experiment)
    );
    CREATE INDEX experiment_assignments_open ON experiment_assignments (workflow_id, experiment, entered_at)
      WHERE NOT settled;
    CREATE INDEX experiment_assignments_arms ON experiment_assignments (workflow_id, experiment, arm);
    CREATE TABLE experiment_decisions (
      workflow_id text NOT NULL,
      experiment text NOT NULL,
      state text NOT NULL,
      verdict text NOT NULL,
      arm int,
      reason text NOT NULL,
      method jsonb NOT NULL,
      numbers jsonb NOT NULL,
      decided_at timestamptz NOT NULL,
      PRIMARY KEY (workflow_id, experiment)
    );
  `.execute(db);
}
