import { sql } from 'kysely';
import { type CustomerRow, withMetrics } from './customers.ts';
import type { Db } from './db.ts';

/** Who a time-trigger occurrence is for, in one zone (null: customers without a zone). */
export interface CandidateQuery {
  zone: string | null;
  /** Limit to customers in `zone`; false for triggers on one fixed zone for everyone. */
  byZone: boolean;
  anniversary: { attribute: string; monthDays: number[]; zone: string } | null;
  after: string;
  limit: number;
}

/** The next page of customers (ids in order) a time-trigger occurrence is for. */
export async function candidateIds(db: Db, q: CandidateQuery): Promise<string[]> {
  const zone = !q.byZone
    ? sql`true`
    : q.zone === null
      ? sql`c.timezone IS NULL`
      : sql`c.timezone = ${q.zone}`;
  let date = sql`true`;
  if (q.anniversary) {
    const { attribute, monthDays } = q.anniversary;
    if (attribute === 'birthday') date = sql`c.birthday_md = ANY(${monthDays}::smallint[])`;
    else if (attribute === 'createdAt') {
      const local = sql`(c.created_at AT TIME ZONE ${q.anniversary.zone})`;
      date = sql`(extract(month FROM ${local}) * 100 + extract(day FROM ${local}))::int = ANY(${monthDays}::int[])`;
    } else {
      const value = sql`(c.attributes->>${attribute})`;
      date = sql`${value} ~ '^\d{4}-\d{2}-\d{2}' AND (substr(${value}, 6, 2)::int * 100 + substr(${value}, 9, 2)::int) = ANY(${monthDays}::int[])`;
    }
  }
  const r = await sql<{ id: string }>`
    SELECT c.id FROM customers c
    WHERE c.erased_at IS NULL AND c.id > ${q.after} AND ${zone} AND ${date}
    ORDER BY c.id LIMIT ${q.limit}`.execute(db);
  return r.rows.map((x) => x.id);
}

/** A page of customers in id order, with their metrics (for full passes over the base). */
export async function customerPage(db: Db, after: string, limit: number): Promise<CustomerRow[]> {
  const rows = await withMetrics(db)
    .where('c.erased_at', 'is', null)
    .where('c.id', '>', after)
    .orderBy('c.id')
    .limit(limit)
    .execute();
  return rows as unknown as CustomerRow[];
}
