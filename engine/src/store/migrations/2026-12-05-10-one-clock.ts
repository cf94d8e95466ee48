import { type Kysely, sql } from 'kysely';

/**
 * Frozen: no column takes its time from the database's clock. Every time Tend records is the
 * engine's (one clock, which tests and operators may move); a `DEFAULT now()` would quietly
 * record PostgreSQL's instead, so an insert that forgets the engine's time now fails loudly.
 */
const COLUMNS: readonly [table: string, column: string][] = [
  ['workflows', 'created_at'],
  ['workflows', 'updated_at'],
  ['workflow_versions', 'created_at'],
  ['customers', 'created_at'],
  ['customers', 'updated_at'],
  ['events', 'received_at'],
  ['step_results', 'completed_at'],
  ['api_keys', 'created_at'],
  ['customer_metrics', 'updated_at'],
  ['trigger_occurrences', 'done_at'],
  ['engine_state', 'updated_at'],
  ['segments', 'created_at'],
  ['segments', 'updated_at'],
  ['audit_log', 'at'],
  ['outbox', 'updated_at'],
  ['workflow_files', 'created_at'],
  ['users', 'created_at'],
  ['sessions', 'created_at'],
  ['sessions', 'last_seen_at'],
  ['editor_layouts', 'updated_at'],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [table, column] of COLUMNS) {
    await sql`ALTER TABLE ${sql.table(table)} ALTER COLUMN ${sql.ref(column)} DROP DEFAULT`.execute(db);
  }
}
