import { sql } from 'kysely';
import type { Db } from './db.ts';

/** Engagements (opens, clicks, orders) counted by local hour, 0–23, in the customer's zone. */
export type HourCounts = number[];

/** What a best-time wait knows of a customer: their own hours and the base's, as the prior. */
export interface HourProfile {
  own: HourCounts;
  base: HourCounts;
}

/**
 * When these customers engaged (events of these types since `since`), newest first, at most
 * `perCustomer` each: an index range scan of events_customer_type per customer and type.
 */
export async function engagementTimes(
  db: Db,
  customerIds: string[],
  types: string[],
  since: Date,
  perCustomer: number,
): Promise<{ customerId: string; at: Date }[]> {
  if (customerIds.length === 0) return [];
  const r = await sql<{ customer_id: string; occurred_at: Date }>`
    SELECT c.id AS customer_id, x.occurred_at
    FROM unnest(${customerIds}::text[]) AS c(id)
    CROSS JOIN LATERAL (
      SELECT e.occurred_at FROM events e
      WHERE e.customer_id = c.id AND e.type = ANY(${types}::text[]) AND e.occurred_at >= ${since}
      ORDER BY e.occurred_at DESC LIMIT ${perCustomer}
    ) x`.execute(db);
  return r.rows.map((row) => ({ customerId: row.customer_id, at: row.occurred_at }));
}

/**
 * A sample of the base's engagements since `since` (at most `limit`), with each customer's zone
 * (null: the installation's): the prior for customers with little history of their own.
 */
export async function baseEngagementSample(
  db: Db,
  types: string[],
  since: Date,
  limit: number,
): Promise<{ zone: string | null; at: Date }[]> {
  const r = await sql<{ timezone: string | null; occurred_at: Date }>`
    SELECT c.timezone, e.occurred_at
    FROM events e JOIN customers c ON c.id = e.customer_id
    WHERE e.type = ANY(${types}::text[]) AND e.occurred_at >= ${since}
    LIMIT ${limit}`.execute(db);
  return r.rows.map((row) => ({ zone: row.timezone, at: row.occurred_at }));
}
