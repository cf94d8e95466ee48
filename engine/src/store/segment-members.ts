import { sql } from 'kysely';
import { anyOf, type Db } from './db.ts';
import { run, type Statement, statement } from './pipeline.ts';

/** Which of these customers are members of which segments now. */
export async function membershipsOf(db: Db, customerIds: string[]): Promise<Map<string, Set<string>>> {
  return run(db, readingMemberships(db, customerIds));
}

/** membershipsOf as a statement, to send with others (store/pipeline.ts). */
export function readingMemberships(db: Db, customerIds: string[]): Statement<Map<string, Set<string>>> {
  const query =
    customerIds.length === 0
      ? null
      : db
          .selectFrom('segment_members')
          .select(['customer_id', 'segment_id'])
          .where('customer_id', '=', anyOf(customerIds))
          .compile();
  return statement(query, (rows) => {
    const out = new Map<string, Set<string>>();
    for (const r of rows) {
      const set = out.get(r.customer_id) ?? new Set<string>();
      set.add(r.segment_id);
      out.set(r.customer_id, set);
    }
    return out;
  });
}

/** Members of one segment among customers whose ids fall in [from, to] (a page of a full pass). */
export async function membersBetween(
  db: Db,
  segmentId: string,
  from: string,
  to: string,
): Promise<Set<string>> {
  const rows = await db
    .selectFrom('segment_members')
    .select('customer_id')
    .where('segment_id', '=', segmentId)
    .where('customer_id', '>=', from)
    .where('customer_id', '<=', to)
    .execute();
  return new Set(rows.map((r) => r.customer_id));
}

export async function addMembers(
  db: Db,
  rows: { segmentId: string; customerId: string }[],
  since: Date,
): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    INSERT INTO segment_members (segment_id, customer_id, since)
    SELECT s, c, ${since} FROM unnest(${rows.map((r) => r.segmentId)}::text[], ${rows.map((r) => r.customerId)}::text[]) AS x(s, c)
    ON CONFLICT DO NOTHING`.execute(db);
}

export async function removeMembers(
  db: Db,
  rows: { segmentId: string; customerId: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    DELETE FROM segment_members m
    USING unnest(${rows.map((r) => r.segmentId)}::text[], ${rows.map((r) => r.customerId)}::text[]) AS x(s, c)
    WHERE m.segment_id = x.s AND m.customer_id = x.c`.execute(db);
}

export async function segmentMembers(
  db: Db,
  segmentId: string,
  after: string,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('segment_members')
    .select('customer_id')
    .where('segment_id', '=', segmentId)
    .where('customer_id', '>', after)
    .orderBy('customer_id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.customer_id);
}
