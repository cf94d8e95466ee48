import { type Kysely, sql } from 'kysely';

/**
 * Frozen: a customer's survey links, answers and tasks found by customer id. The profile
 * timeline, the data export and erasure read them per customer (the outbox and the loyalty
 * ledger had such indexes already).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX survey_links_customer ON survey_links (customer_id);
    CREATE INDEX survey_answers_customer ON survey_answers (customer_id, answered_at DESC);
    CREATE INDEX tasks_customer ON tasks (customer_id, created_at DESC);
  `.execute(db);
}
