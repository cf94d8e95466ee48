import type { monthsAround } from '@tend/plugin-sdk/time';
import { sql } from 'kysely';
import type { Db } from './db.ts';
import { readState, writeState } from './engine-state.ts';

/** One cell of the RFM grid: customers scored recency `r` and frequency `f`, their mean monetary score. */
export interface RfmCell {
  r: number;
  f: number;
  customers: number;
  monetary: number;
}

/** How many customers (not erased) are in each lifecycle stage; `none` before one is decided. */
export async function customersByStage(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('customers')
    .select(['stage', sql<number>`count(*)::int`.as('n')])
    .where('erased_at', 'is', null)
    .groupBy('stage')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.stage ?? 'none', r.n]));
}

/** The recency × frequency grid of scored buyers, with the mean monetary score of each cell. */
export async function rfmGrid(db: Db): Promise<RfmCell[]> {
  const rows = await db
    .selectFrom('customer_metrics')
    .select([
      'r',
      'f',
      sql<number>`count(*)::int`.as('customers'),
      sql<number>`round(avg(m)::numeric, 2)::float8`.as('monetary'),
    ])
    .where('r', 'is not', null)
    .where('f', 'is not', null)
    .groupBy(['r', 'f'])
    .execute();
  return rows.map((row) => ({
    r: row.r as number,
    f: row.f as number,
    customers: row.customers,
    monetary: row.monetary,
  }));
}

/** How many customers each named RFM segment holds. */
export async function customersBySegment(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('customer_metrics')
    .select(['segment', sql<number>`count(*)::int`.as('n')])
    .where('segment', 'is not', null)
    .groupBy('segment')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.segment as string, r.n]));
}

/** Customers who moved from one stage to another in a period (`from` null: their first stage). */
export interface StageFlow {
  from: string | null;
  to: string;
  customers: number;
}

/** Stage changes recorded in [from, to), by the stages left and entered. */
export async function stageFlows(db: Db, from: Date, to: Date): Promise<StageFlow[]> {
  const rows = await sql<StageFlow>`
    SELECT data->>'from' AS "from", data->>'to' AS "to", count(*)::int AS customers
    FROM events
    WHERE type = 'customer.stage_changed' AND occurred_at >= ${from} AND occurred_at < ${to}
    GROUP BY 1, 2 ORDER BY 3 DESC`.execute(db);
  return rows.rows;
}

/** Where last month, this month and next month start, and this and last month's names (YYYY-MM). */
export type MonthStarts = ReturnType<typeof monthsAround>;

/** The dashboard's figures of the whole base. */
export interface Overview {
  stages: Record<string, number>;
  segments: Record<string, number>;
  rfm: RfmCell[];
  /** Stage changes this month and last month (calendar months in the installation's zone). */
  flows: { thisMonth: StageFlow[]; lastMonth: StageFlow[]; months: [string, string] };
}

/** Counts the whole base now (scans of customers and their metrics; stage changes by month). */
export async function countOverview(db: Db, months: MonthStarts, oneByOne = false): Promise<Overview> {
  // One after another for the background refresher: one core at a time beside the live work,
  // and the time it took is what the counts cost. At once for a look, which waits for them.
  const run = oneByOne ? inTurn() : <T>(count: () => Promise<T>) => count();
  const [stages, segments, rfm, thisMonth, lastMonth] = await Promise.all([
    run(() => customersByStage(db)),
    run(() => customersBySegment(db)),
    run(() => rfmGrid(db)),
    run(() => stageFlows(db, months.thisMonth, months.nextMonth)),
    run(() => stageFlows(db, months.lastMonth, months.thisMonth)),
  ]);
  return {
    stages,
    segments,
    rfm,
    flows: { thisMonth, lastMonth, months: [months.thisLabel, months.lastLabel] },
  };
}

/** Runs the functions it is given one at a time, in the order given. */
function inTurn() {
  let last: Promise<unknown> = Promise.resolve();
  return <T>(count: () => Promise<T>): Promise<T> => {
    const next = last.then(count);
    last = next.catch(() => undefined);
    return next;
  };
}

/** The last counted overview, when, and how long counting took (which decides live or kept). */
export interface OverviewSnapshot {
  at: string;
  tookMs: number;
  body: Overview;
}

const SNAPSHOT = 'overview.snapshot';

export const readOverviewSnapshot = (db: Db) => readState<OverviewSnapshot>(db, SNAPSHOT);

export const writeOverviewSnapshot = (db: Db, snapshot: OverviewSnapshot, now: Date) =>
  writeState(db, SNAPSHOT, snapshot, now);
