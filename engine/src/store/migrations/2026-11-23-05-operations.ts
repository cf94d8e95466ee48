import { type Kysely, sql } from 'kysely';

/**
 * Frozen: operating journeys. Pausing (who paused, and the customers who would have entered
 * meanwhile) and the versioned template and survey files that `tend push` uploads next to the
 * workflows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE workflows ADD COLUMN paused_at timestamptz, ADD COLUMN paused_by text;
    CREATE TABLE paused_entries (
      workflow_id text NOT NULL,
      customer_id text NOT NULL,
      event_seq bigint NOT NULL,
      key text,
      at timestamptz NOT NULL,
      PRIMARY KEY (workflow_id, customer_id, event_seq)
    );
    CREATE INDEX paused_entries_customer ON paused_entries (customer_id);
    ALTER TABLE trigger_occurrences ADD COLUMN skipped boolean NOT NULL DEFAULT false;
    CREATE TABLE workflow_files (
      path text NOT NULL,
      version int NOT NULL,
      hash text NOT NULL,
      content text,
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by text,
      source text,
      message text,
      PRIMARY KEY (path, version)
    );
  `.execute(db);
}
