import { type Kysely, sql } from 'kysely';

/**
 * Frozen: cheaper run updates. A run row is rewritten at every transition; most transitions keep
 * its state and status, and such an update can stay on its page without touching any index (a
 * HOT update) when the page has room: fillfactor leaves that room. The index on (workflow, status,
 * state) made every change of state an index write; live counts only ask about active runs, so
 * a partial index without the state serves them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE runs SET (fillfactor = 75);
    DROP INDEX runs_workflow_state;
    CREATE INDEX runs_active_workflow ON runs (workflow_id, version) WHERE status = 'active';
  `.execute(db);
}
