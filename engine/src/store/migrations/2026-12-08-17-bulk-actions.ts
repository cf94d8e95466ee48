import { type Kysely, sql } from 'kysely';

/**
 * Frozen: an action on every customer of a filter (add or remove a tag, start a journey, erase),
 * done by the workers a page at a time. `after` is the last customer done: a worker that dies
 * mid-way leaves it where the next one goes on.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE bulk_actions (
      id uuid PRIMARY KEY,
      action text NOT NULL,
      params jsonb NOT NULL,
      filter jsonb NOT NULL,
      status text NOT NULL,
      total int NOT NULL,
      done int NOT NULL DEFAULT 0,
      after text NOT NULL DEFAULT '',
      error text,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      finished_at timestamptz
    );
    CREATE INDEX bulk_actions_created ON bulk_actions (created_at DESC);
  `.execute(db);
}
