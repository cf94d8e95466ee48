/**
 * How well the purchase model predicts (`--only calibration`): the demo base (`tend demo seed`,
 * the same generator) is seeded, the model is fitted on the orders before a cutoff 90 days ago,
 * and the orders each customer was expected to place in the 90 days after it are compared with
 * those they placed, by how many repeat orders they had before the cutoff.
 */
import { sql } from 'kysely';
import { seedDemo } from '../src/demo/seed.ts';
import { fitModel, NEXT_ORDERS_DAYS, type OrderSummary, predict } from '../src/predictions/model.ts';
import { drawCustomers } from '../src/predictions/synthetic.ts';
import { KeyRing } from '../src/privacy/key-ring.ts';
import { createDb } from '../src/store/db.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { engineClock, progress } from './support.ts';

const ORDERS = { event: 'order.placed', amount: 'amount' };
const DAY = 86_400_000;
/** Buyers drawn from the model: as in the predictions benchmark. */
const SHOP = { r: 0.8, alpha: 40, a: 0.5, b: 3 };
const SPEND = { p: 4, q: 3, gamma: 40 };
/** Buckets of repeat orders before the cutoff; the last one holds this many and more. */
const TOP_BUCKET = 7;

export async function calibrationBench(databaseUrl: string, o: { customers: number; meanOrders: number }) {
  const { db } = createDb(databaseUrl, { max: 4 });
  await migrateToLatest(db);
  const now = engineClock();
  await seedDemo(
    db,
    new KeyRing(Buffer.alloc(32, 9)),
    ORDERS,
    { customers: o.customers, seed: 7, meanOrders: o.meanOrders, now },
    (n) => progress('seed demo base', n, o.customers),
  );
  const cutoff = new Date(now.getTime() - NEXT_ORDERS_DAYS * DAY);
  const rows = await sql<{
    customer_id: string;
    orders: number;
    revenue: string;
    first_at: Date;
    last_at: Date;
    later: number;
  }>`
    SELECT customer_id,
      (count(*) FILTER (WHERE occurred_at < ${cutoff}))::int AS orders,
      coalesce(sum((data->>'amount')::numeric) FILTER (WHERE occurred_at < ${cutoff}), 0) AS revenue,
      min(occurred_at) FILTER (WHERE occurred_at < ${cutoff}) AS first_at,
      max(occurred_at) FILTER (WHERE occurred_at < ${cutoff}) AS last_at,
      (count(*) FILTER (WHERE occurred_at >= ${cutoff} AND occurred_at < ${now}))::int AS later
    FROM events WHERE type = ${ORDERS.event}
    GROUP BY customer_id
    HAVING count(*) FILTER (WHERE occurred_at < ${cutoff}) > 0`.execute(db);
  await db.destroy();
  const summaries: (OrderSummary & { later: number })[] = rows.rows.map((r) => ({
    customerId: r.customer_id,
    orders: r.orders,
    revenue: Number(r.revenue),
    firstOrderAt: r.first_at,
    lastOrderAt: r.last_at,
    later: r.later,
  }));
  const started = performance.now();
  const model = fitModel(summaries, cutoff);
  const fitSeconds = (performance.now() - started) / 1000;
  const demo = compare(
    summaries.map((s) => ({ s, later: s.later })),
    (s) => predict(model, s, cutoff).expectedOrders90d,
  );

  // The same comparison on buyers drawn from the model itself (what the model can do when its
  // assumptions hold), fitted the same way.
  const drawn = drawCustomers(SHOP, SPEND, o.customers, {
    seed: 3,
    spread: 640,
    minAge: 1,
    ahead: NEXT_ORDERS_DAYS,
    variant: 'mbg',
  });
  const synthetic = drawn.map((c, i) => ({
    s: {
      customerId: `s${i}`,
      orders: c.spend.orders,
      revenue: c.spend.orders * c.spend.meanValue,
      firstOrderAt: new Date(cutoff.getTime() - c.history.T * DAY),
      lastOrderAt: new Date(cutoff.getTime() - (c.history.T - c.history.tx) * DAY),
    },
    later: c.later,
  }));
  const drawnModel = fitModel(
    synthetic.map((x) => x.s),
    cutoff,
  );
  const fromModel = compare(synthetic, (s) => predict(drawnModel, s, cutoff).expectedOrders90d);
  return {
    customers: o.customers,
    buyersBeforeCutoff: summaries.length,
    cutoff: cutoff.toISOString(),
    heldBackDays: NEXT_ORDERS_DAYS,
    fitSeconds: Number(fitSeconds.toFixed(1)),
    params: model.bgNbd,
    spend: model.gammaGamma,
    ...demo,
    drawnFromTheModel: { drawnFrom: SHOP, fitted: drawnModel.bgNbd, ...fromModel },
  };
}

/** Predicted against actual orders in the held-back period, in all and by repeat orders before it. */
function compare(customers: { s: OrderSummary; later: number }[], expected: (s: OrderSummary) => number) {
  const buckets = Array.from({ length: TOP_BUCKET + 1 }, (_, x) => ({
    repeatOrders: x === TOP_BUCKET ? `${x}+` : String(x),
    customers: 0,
    predicted: 0,
    actual: 0,
  }));
  for (const { s, later } of customers) {
    const b = buckets[Math.min(TOP_BUCKET, s.orders - 1)] as (typeof buckets)[number];
    b.customers += 1;
    b.predicted += expected(s);
    b.actual += later;
  }
  const total = buckets.reduce(
    (t, b) => ({
      customers: t.customers + b.customers,
      predicted: t.predicted + b.predicted,
      actual: t.actual + b.actual,
    }),
    { customers: 0, predicted: 0, actual: 0 },
  );
  const perCustomer = (b: { customers: number; predicted: number; actual: number }) => ({
    customers: b.customers,
    predictedPerCustomer: Number((b.predicted / Math.max(1, b.customers)).toFixed(3)),
    actualPerCustomer: Number((b.actual / Math.max(1, b.customers)).toFixed(3)),
  });
  return {
    total: { ...perCustomer(total), predicted: Math.round(total.predicted), actual: total.actual },
    byRepeatOrders: buckets.map((b) => ({ repeatOrders: b.repeatOrders, ...perCustomer(b) })),
  };
}
