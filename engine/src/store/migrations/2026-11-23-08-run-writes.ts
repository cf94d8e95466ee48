import { type Kysely, sql } from 'kysely';

/**
 * Frozen: fewer index entries per run write (the engine's hottest statement writes a run row
 * per transition, and every index whose columns change gets a new entry).
 * - `runs_workflow_state` indexed `state`, which most transitions change. Its queries (runs of a
 *   workflow by status and state: live counts, run lists) read a workflow's ended runs through
 *   `runs_workflow_customer` and its active ones through `runs_active` (PostgreSQL 18 skips
 *   through its leading column; older servers read that index whole: it holds active runs only).
 * - `runs_active_customer` (customer) and `runs_one_active` (workflow, customer, key) both
 *   indexed the active runs; one unique index led by the customer serves the dispatcher's "active
 *   runs of these customers" and still allows one active run per customer, workflow and key.
 * Engine benchmark (`pnpm bench -- --only engine --customers 20000 --rounds 2`): durable
 * transitions/s 7,770–8,010 before (mean of 4 runs 7,860), 7,890–8,680 after (mean of 20: 8,230).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX IF EXISTS runs_workflow_state;
    CREATE UNIQUE INDEX runs_active ON runs (customer_id, workflow_id, coalesce(key, '')) WHERE status = 'active';
    DROP INDEX IF EXISTS runs_one_active;
    DROP INDEX IF EXISTS runs_active_customer;
  `.execute(db);
}
