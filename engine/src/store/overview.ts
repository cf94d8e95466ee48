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

/** The dashboard's figures of the whole base. */
export interface Overview {
  stages: Record<string, number>;
  segments: Record<string, number>;
  rfm: RfmCell[];
}

/** Counts the whole base now (three scans of customers and their metrics). */
export async function countOverview(db: Db): Promise<Overview> {
  const [stages, segments, rfm] = await Promise.all([
    customersByStage(db),
    customersBySegment(db),
    rfmGrid(db),
  ]);
  return { stages, segments, rfm };
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
