import { sql } from 'kysely';
import type { Db } from './db.ts';

/** A buyer's orders in the terms the purchase model reads, with the predictions kept of them. */
export interface OrderSummaryRow {
  customerId: string;
  orders: number;
  revenue: number;
  firstOrderAt: Date;
  lastOrderAt: Date;
  /** The last predictions made, or null: the first fit after their first order. */
  before: KeptPrediction | null;
}

/** One buyer's stored predictions. */
export interface KeptPrediction {
  pAlive: number;
  expectedOrders90d: number;
  predictedValue: number;
}

/** Predictions to store for one buyer. */
export interface PredictionWrite extends KeptPrediction {
  customerId: string;
}

interface SummaryDbRow {
  customer_id: string;
  orders: number;
  revenue: string;
  first_order_at: Date;
  last_order_at: Date;
  p_alive: number | null;
  expected_orders_90d: number | null;
  predicted_value: string | null;
}

const toSummary = (r: SummaryDbRow): OrderSummaryRow => ({
  customerId: r.customer_id,
  orders: r.orders,
  revenue: Number(r.revenue),
  firstOrderAt: r.first_order_at,
  lastOrderAt: r.last_order_at,
  before:
    r.p_alive === null
      ? null
      : {
          pAlive: r.p_alive,
          expectedOrders90d: r.expected_orders_90d ?? 0,
          predictedValue: Number(r.predicted_value ?? 0),
        },
});

/** The buyers (customers with an order, not erased) the model scores. */
const BUYERS = sql`customer_metrics m JOIN customers c ON c.id = m.customer_id AND c.erased_at IS NULL`;
const BUYER = sql`m.orders > 0 AND m.first_order_at IS NOT NULL AND m.last_order_at IS NOT NULL`;

/** How many buyers there are. */
export async function countBuyers(db: Db): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${BUYERS} WHERE ${BUYER}`.execute(db);
  return r.rows[0]?.n ?? 0;
}

/**
 * About `size` buyers drawn at random (every row of customer_metrics with the same chance; the
 * same `seed` draws the same rows while the table is unchanged), to fit the model on.
 */
export async function sampleOrderSummaries(
  db: Db,
  size: number,
  buyers: number,
  seed: number,
): Promise<OrderSummaryRow[]> {
  const percent = Math.min(100, (100 * size) / Math.max(1, buyers));
  const r = await sql<SummaryDbRow>`
    SELECT m.customer_id, m.orders, m.revenue, m.first_order_at, m.last_order_at,
      NULL::float8 AS p_alive, NULL::float8 AS expected_orders_90d, NULL::numeric AS predicted_value
    FROM customer_metrics m TABLESAMPLE BERNOULLI (${sql.lit(percent)}) REPEATABLE (${sql.lit(seed)})
    JOIN customers c ON c.id = m.customer_id AND c.erased_at IS NULL
    WHERE ${BUYER}`.execute(db);
  return r.rows.map(toSummary);
}

/** A page of buyers in id order after `after`, with the predictions kept of them. */
export async function orderSummaryPage(db: Db, after: string, limit: number): Promise<OrderSummaryRow[]> {
  const r = await sql<SummaryDbRow>`
    SELECT m.customer_id, m.orders, m.revenue, m.first_order_at, m.last_order_at,
      p.p_alive, p.expected_orders_90d, p.predicted_value
    FROM ${BUYERS} LEFT JOIN customer_predictions p ON p.customer_id = m.customer_id
    WHERE ${BUYER} AND m.customer_id > ${after}
    ORDER BY m.customer_id LIMIT ${limit}`.execute(db);
  return r.rows.map(toSummary);
}

/** Stores these buyers' predictions, made at `at` by model `version`, in one statement. */
export async function writePredictions(
  db: Db,
  rows: PredictionWrite[],
  at: Date,
  version: string,
): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    INSERT INTO customer_predictions AS cp (customer_id, p_alive, expected_orders_90d, predicted_value, fitted_at, model_version)
    SELECT id, p, e, v, ${at}::timestamptz, ${version}
    FROM unnest(${rows.map((r) => r.customerId)}::text[], ${rows.map((r) => r.pAlive)}::float8[],
      ${rows.map((r) => r.expectedOrders90d)}::float8[], ${rows.map((r) => r.predictedValue.toFixed(2))}::numeric[]) AS u(id, p, e, v)
    ON CONFLICT (customer_id) DO UPDATE SET p_alive = excluded.p_alive,
      expected_orders_90d = excluded.expected_orders_90d, predicted_value = excluded.predicted_value,
      fitted_at = excluded.fitted_at, model_version = excluded.model_version`.execute(db);
}

/** Removes predictions older than this fit (their customers are no longer buyers, or are gone). */
export async function removeStalePredictions(db: Db, fittedAt: Date): Promise<number> {
  const r = await sql`DELETE FROM customer_predictions WHERE fitted_at < ${fittedAt}::timestamptz`.execute(
    db,
  );
  return Number(r.numAffectedRows ?? 0);
}
