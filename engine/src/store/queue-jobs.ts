import { sql } from 'kysely';
import type { Db } from './db.ts';

/**
 * Of these customers, those a job of `queue` that is still to run (waiting, deferred, retrying or
 * running) names in its `customers`. pg-boss owns its job table; the engine only reads it here.
 */
export async function customersInUnfinishedJobs(
  db: Db,
  queue: string,
  customerIds: string[],
): Promise<Set<string>> {
  if (customerIds.length === 0) return new Set();
  const rows = await sql<{ customer: string }>`
    SELECT DISTINCT c AS customer
    FROM pgboss.job j CROSS JOIN LATERAL jsonb_array_elements_text(j.data -> 'customers') AS c
    WHERE j.name = ${queue} AND j.state < 'completed' AND c = ANY(${customerIds}::text[])`.execute(db);
  return new Set(rows.rows.map((r) => r.customer));
}
