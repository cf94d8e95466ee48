import { type Kysely, sql } from 'kysely';

/**
 * Frozen: people belong to a team, and a team's lead sees (as staff) the customers its members
 * own. The index finds a lead's team members at each of the lead's requests.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE users ADD COLUMN team text, ADD COLUMN team_lead boolean NOT NULL DEFAULT false;
    CREATE INDEX users_team ON users (team) WHERE team IS NOT NULL AND disabled_at IS NULL;
  `.execute(db);
}
