import { type RawBuilder, sql } from 'kysely';
import type { Db } from './db.ts';
import { type StoredEvent, storedEventsOf, toStored } from './events.ts';
import { run, type Statement, statement } from './pipeline.ts';

/** A lifecycle stage and when a customer is in it (lifecycle.yaml's rule, durations in ms). */
export interface StageRule {
  id: string;
  ordersAtLeast?: number;
  ordersAtMost?: number;
  lastOrderWithinMs?: number;
  noOrderForMs?: number;
  signedUpWithinMs?: number;
  was?: string[];
}

export interface StageChange {
  customerId: string;
  from: string | null;
  to: string;
}

/** The stage rules as one SQL CASE: the first rule whose conditions all hold wins. */
function stageCase(rules: StageRule[], now: Date): RawBuilder<string | null> {
  const ago = (ms: number) => sql`${new Date(now.getTime() - ms)}::timestamptz`;
  const branches = rules.map((w) => {
    const conditions: RawBuilder<unknown>[] = [];
    if (w.ordersAtLeast !== undefined) conditions.push(sql`coalesce(m.orders, 0) >= ${w.ordersAtLeast}`);
    if (w.ordersAtMost !== undefined) conditions.push(sql`coalesce(m.orders, 0) <= ${w.ordersAtMost}`);
    if (w.lastOrderWithinMs !== undefined)
      conditions.push(sql`m.last_order_at >= ${ago(w.lastOrderWithinMs)}`);
    // Never ordered: the time since signing up counts.
    if (w.noOrderForMs !== undefined)
      conditions.push(sql`coalesce(m.last_order_at, c.created_at) < ${ago(w.noOrderForMs)}`);
    if (w.signedUpWithinMs !== undefined) conditions.push(sql`c.created_at >= ${ago(w.signedUpWithinMs)}`);
    if (w.was) conditions.push(sql`c.stage = ANY(${w.was}::text[])`);
    const test = conditions.length > 0 ? sql.join(conditions, sql` AND `) : sql`true`;
    return sql`WHEN ${test} THEN ${w.id}`;
  });
  return sql<string | null>`CASE ${sql.join(branches, sql` `)} ELSE c.stage END`;
}

/**
 * Puts customers (these, or everyone) in the stage their purchases say, and returns the changes
 * so each can be recorded as a `customer.stage_changed` event.
 */
export async function updateStages(
  db: Db,
  rules: StageRule[],
  now: Date,
  customers: string[] | null,
): Promise<StageChange[]> {
  return run(db, updatingStages(db, rules, now, customers));
}

/** updateStages as a statement, to send with others (store/pipeline.ts). */
export function updatingStages(
  db: Db,
  rules: StageRule[],
  now: Date,
  customers: string[] | null,
): Statement<StageChange[]> {
  const query = sql<{ id: string; from: string | null; to: string }>`
    WITH ${stageUpdate(rules, now, customers)}
    SELECT id, "from", "to" FROM changed`.compile(db);
  return statement(query, (rows) => rows.map((r) => ({ customerId: r.id, from: r.from, to: r.to })));
}

/**
 * updatingStages for these customers, each change stored as an event of type `record.type` in
 * the same statement (store/events.ts#storedEventsOf): `{ from, to }`, at `now`, with the id
 * `record.ids` gives the customer (same order as `customers`; ids of customers whose stage did
 * not change are not used). Answers the events as stored. One round trip where the events
 * waited for the changes.
 */
export function updatingStagesRecorded(
  db: Db,
  rules: StageRule[],
  now: Date,
  customers: string[],
  record: { type: string; ids: string[] },
): Statement<StoredEvent[]> {
  const query = sql<{
    seq: string;
    id: string;
    customer_id: string;
    bucket: string;
    type: string;
    data: unknown;
    occurred_at: Date;
  }>`
    WITH ${stageUpdate(rules, now, customers)},
    ${storedEventsOf(
      sql`
        SELECT x.id, x.customer_id, ${record.type}::text AS type,
               jsonb_build_object('from', ch."from", 'to', ch."to") AS data, ${now}::timestamptz AS occurred_at, x.n
        FROM unnest(${customers}::text[], ${record.ids}::text[]) WITH ORDINALITY AS x(customer_id, id, n)
        JOIN changed ch ON ch.id = x.customer_id`,
      now,
    )}
    SELECT s.seq, s.id, s.customer_id, s.bucket, i.type, i.data, i.occurred_at
    FROM stored s JOIN event_input i ON i.customer_id = s.customer_id AND i.id = s.id
    ORDER BY s.seq`.compile(db);
  return statement(query, (rows) => rows.map(toStored));
}

/** `next` (each customer's stage by the rules) and `changed` (the customers whose stage moved). */
function stageUpdate(rules: StageRule[], now: Date, customers: string[] | null): RawBuilder<unknown> {
  return sql`
    next AS (
      SELECT c.id, c.stage AS old, ${stageCase(rules, now)} AS stage
      FROM customers c LEFT JOIN customer_metrics m ON m.customer_id = c.id
      WHERE c.erased_at IS NULL ${customers ? sql`AND c.id = ANY(${customers}::text[])` : sql``}
    ),
    changed AS (
      UPDATE customers c SET stage = next.stage, stage_since = ${now}::timestamptz
      FROM next
      WHERE c.id = next.id AND next.stage IS DISTINCT FROM next.old AND next.stage IS NOT NULL
      RETURNING c.id, next.old AS "from", next.stage AS "to"
    )`;
}
