import { type Kysely, sql } from 'kysely';

/**
 * Frozen: what the overview counts by period without reading whole tables. Stage changes are
 * events among millions; this index holds only them, by time, so other events' writes do not
 * pay for it. The outbox by time serves "messages of the last 30 days by status and reason".
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX events_stage_changes ON events (occurred_at) WHERE type = 'customer.stage_changed';
    CREATE INDEX outbox_created ON outbox (created_at);
  `.execute(db);
}
