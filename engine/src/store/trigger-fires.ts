import { sql } from 'kysely';
import type { Db } from './db.ts';

/** Claims customers for an occurrence; returns those not claimed before (by anyone, ever). */
export async function claimFires(
  db: Db,
  workflowId: string,
  occurrence: string,
  customerIds: string[],
): Promise<string[]> {
  if (customerIds.length === 0) return [];
  const r = await sql<{ customer_id: string }>`
    INSERT INTO trigger_fires (workflow_id, occurrence, customer_id)
    SELECT ${workflowId}, ${occurrence}, unnest(${customerIds}::text[])
    ON CONFLICT DO NOTHING
    RETURNING customer_id`.execute(db);
  return r.rows.map((x) => x.customer_id);
}

/** Has this occurrence already been enrolled completely in this zone? */
export async function occurrenceDone(
  db: Db,
  workflowId: string,
  zone: string,
  occurrence: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('trigger_occurrences')
    .select('enrolled')
    .where('workflow_id', '=', workflowId)
    .where('zone', '=', zone)
    .where('occurrence', '=', occurrence)
    .executeTakeFirst();
  return row !== undefined;
}

export async function markOccurrenceDone(
  db: Db,
  workflowId: string,
  zone: string,
  occurrence: string,
  enrolled: number,
  now: Date,
  /** Passed over (its journey was paused, and resumed without admitting it). */
  skipped = false,
): Promise<void> {
  await db
    .insertInto('trigger_occurrences')
    .values({ workflow_id: workflowId, zone, occurrence, enrolled, skipped, done_at: now })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** The latest schedule occurrence done for a workflow in a zone (occurrence ids sort by time). */
export async function lastScheduleDone(db: Db, workflowId: string, zone: string): Promise<Date | null> {
  const row = await db
    .selectFrom('trigger_occurrences')
    .select((eb) => eb.fn.max('occurrence').as('last'))
    .where('workflow_id', '=', workflowId)
    .where('zone', '=', zone)
    .where('occurrence', 'like', 'schedule:%')
    .executeTakeFirst();
  return row?.last ? new Date(String(row.last).slice('schedule:'.length)) : null;
}
