import { type Kysely, sql } from 'kysely';

/**
 * Frozen: a customer list exported as CSV by the workers, a page at a time: each page's lines,
 * encrypted (they hold names and addresses), in the transaction that moves the action's cursor.
 * Any process serves the download; parts older than a day are deleted.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE bulk_export_parts (
      action_id uuid NOT NULL REFERENCES bulk_actions (id) ON DELETE CASCADE,
      part int NOT NULL,
      body_enc bytea NOT NULL,
      PRIMARY KEY (action_id, part)
    );
  `.execute(db);
}
