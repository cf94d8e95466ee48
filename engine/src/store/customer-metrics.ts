import { type RawBuilder, sql } from 'kysely';
import type { Db } from './db.ts';

/** Which events are purchases, and where their amount is. */
export interface OrderSource {
  event: string;
  amount: string;
}

/**
 * The standard RFM segments from the recency and frequency scores (R, F in 1–5); the same map
 * the marketing literature uses, with "lost" carved out of the hibernating corner.
 */
const SEGMENT = sql.raw(`CASE
  WHEN r IS NULL THEN NULL
  WHEN r = 1 AND f = 1 THEN 'lost'
  WHEN r <= 2 AND f <= 2 THEN 'hibernating'
  WHEN r <= 2 AND f = 5 THEN 'cant-lose'
  WHEN r <= 2 THEN 'at-risk'
  WHEN r = 3 AND f <= 2 THEN 'about-to-sleep'
  WHEN r = 3 AND f = 3 THEN 'need-attention'
  WHEN r = 5 AND f >= 4 THEN 'champions'
  WHEN f >= 4 THEN 'loyal'
  WHEN r = 4 AND f = 1 THEN 'promising'
  WHEN r = 5 AND f = 1 THEN 'new'
  ELSE 'potential-loyalists' END`);

/** The aggregates of purchases, from the events, for some customers or all. */
function aggregates(src: OrderSource, now: Date, customers: string[] | null): RawBuilder<unknown> {
  // Only plain decimals count (the API refuses other amounts): an odd value stored before that
  // check, or emitted by a plugin, must neither fail this statement for the whole batch nor turn
  // the customer's revenue into NaN.
  const text = sql`e.data->>${src.amount}`;
  const amount = sql`CASE WHEN ${text} ~ '^-?[0-9]+(\\.[0-9]+)?$' THEN (${text})::numeric ELSE 0 END`;
  return sql`
    SELECT e.customer_id, count(*)::int AS orders, sum(${amount}) AS revenue,
      min(e.occurred_at) AS first_order_at, max(e.occurred_at) AS last_order_at,
      (count(*) FILTER (WHERE e.occurred_at > ${now}::timestamptz - interval '30 days'))::int AS orders_30d,
      (count(*) FILTER (WHERE e.occurred_at > ${now}::timestamptz - interval '90 days'))::int AS orders_90d,
      (count(*) FILTER (WHERE e.occurred_at > ${now}::timestamptz - interval '365 days'))::int AS orders_365d,
      coalesce(sum(${amount}) FILTER (WHERE e.occurred_at > ${now}::timestamptz - interval '90 days'), 0) AS revenue_90d,
      coalesce(sum(${amount}) FILTER (WHERE e.occurred_at > ${now}::timestamptz - interval '365 days'), 0) AS revenue_365d
    FROM events e
    WHERE e.type = ${src.event} ${customers ? sql`AND e.customer_id = ANY(${customers}::text[])` : sql``}
    GROUP BY e.customer_id`;
}

/** Scores against the stored quintile boundaries: how many boundaries a value passes. */
const SCORES = (now: Date) => sql`
  r = CASE WHEN t.recency_days IS NULL OR x.last_order_at IS NULL THEN NULL ELSE
        5 - (SELECT count(*) FROM unnest(t.recency_days) b
             WHERE b < extract(epoch FROM (${now}::timestamptz - x.last_order_at)) / 86400)::int END,
  f = CASE WHEN t.frequency IS NULL OR x.orders = 0 THEN NULL ELSE
        1 + (SELECT count(*) FROM unnest(t.frequency) b WHERE b < x.orders)::int END,
  m = CASE WHEN t.monetary IS NULL OR x.orders = 0 THEN NULL ELSE
        1 + (SELECT count(*) FROM unnest(t.monetary) b WHERE b < x.revenue)::int END`;

/**
 * While fewer buyers than this back the cut points, orders arriving cut them again (a scan of a
 * small base); above it, the nightly recompute re-cuts them.
 */
export const EARLY_BUYERS = 1000;

/** The quintile cut points of recency, frequency and monetary value over every buyer. */
async function cutQuintiles(db: Db, now: Date): Promise<void> {
  await sql`
    INSERT INTO rfm_thresholds (id, recency_days, frequency, monetary, computed_at, buyers)
    SELECT 1,
      percentile_cont(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY extract(epoch FROM (${now}::timestamptz - last_order_at)) / 86400),
      percentile_cont(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY orders),
      percentile_cont(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY revenue),
      ${now}::timestamptz, count(*)::int
    FROM customer_metrics WHERE orders > 0
    HAVING count(*) > 0
    ON CONFLICT (id) DO UPDATE SET recency_days = excluded.recency_days, frequency = excluded.frequency,
      monetary = excluded.monetary, computed_at = excluded.computed_at, buyers = excluded.buyers`.execute(db);
}

/** Whether the cut points are missing, or were cut from a base still small enough to cut again. */
async function cutPointsAreEarly(db: Db): Promise<boolean> {
  const row = await sql<{ buyers: number | null }>`SELECT buyers FROM rfm_thresholds WHERE id = 1`.execute(
    db,
  );
  const cut = row.rows[0];
  return !cut || (cut.buyers !== null && cut.buyers < EARLY_BUYERS);
}

/**
 * Brings the purchase aggregates and scores of these customers up to date as their orders
 * arrive, so journeys see `customer.rfm` at once: scored against the current quintile cut points
 * (cut now when there are none yet, or while the base is small), in the same set-based
 * statements for the whole batch. ABC classes wait for the nightly recompute, which re-cuts.
 */
export async function refreshMetrics(
  db: Db,
  src: OrderSource,
  now: Date,
  customers: string[],
): Promise<void> {
  if (customers.length === 0) return;
  // Early cut points are re-cut, and every buyer scored against them, one batch at a time: the
  // lock is taken before this batch's rows are written, so two batches never wait on each other.
  const early = await cutPointsAreEarly(db);
  if (early) await sql`SELECT pg_advisory_xact_lock(hashtext('tend:rfm-cut'))`.execute(db);
  await sql`
    INSERT INTO customer_metrics AS cm (customer_id, orders, revenue, first_order_at, last_order_at,
      orders_30d, orders_90d, orders_365d, revenue_90d, revenue_365d, updated_at)
    SELECT a.*, ${now}::timestamptz FROM (${aggregates(src, now, customers)}) a
    ON CONFLICT (customer_id) DO UPDATE SET orders = excluded.orders, revenue = excluded.revenue,
      first_order_at = excluded.first_order_at, last_order_at = excluded.last_order_at,
      orders_30d = excluded.orders_30d, orders_90d = excluded.orders_90d, orders_365d = excluded.orders_365d,
      revenue_90d = excluded.revenue_90d, revenue_365d = excluded.revenue_365d, updated_at = excluded.updated_at`.execute(
    db,
  );
  if (early) await cutQuintiles(db, now);
  // With new cut points every buyer is scored again (a small base); else only this batch's.
  const scored = early ? sql`x.orders > 0` : sql`x.customer_id = ANY(${customers}::text[])`;
  await sql`
    UPDATE customer_metrics x SET ${SCORES(now)}
    FROM (SELECT * FROM rfm_thresholds RIGHT JOIN (SELECT 1) one ON true) t
    WHERE ${scored}`.execute(db);
  await sql`UPDATE customer_metrics x SET segment = ${SEGMENT} WHERE ${scored}`.execute(db);
}

/** The aggregate columns, in the order `aggregates` answers them. */
const AGGREGATES = [
  'orders',
  'revenue',
  'first_order_at',
  'last_order_at',
  'orders_30d',
  'orders_90d',
  'orders_365d',
  'revenue_90d',
  'revenue_365d',
] as const;

/**
 * The full pass, set-based over the whole base: aggregates, quintile boundaries, R/F/M scores,
 * segments and ABC classes (A: the customers bringing the first 80 % of revenue, B: the next
 * 15 %, C: the rest). Returns how many customers have purchases.
 *
 * One statement, so each customer's row is written once, and only when something in it changed
 * (computing aggregates, then scores, then segments in three statements wrote a million-row base
 * three times over, and each of its indexes with it). A customer without order events any more
 * keeps the aggregates stored, as the incremental path left them.
 */
export async function recomputeAllMetrics(db: Db, src: OrderSource, now: Date): Promise<number> {
  const cols = sql.raw(AGGREGATES.join(', '));
  const merged = sql.join(
    AGGREGATES.map(
      (c) =>
        sql`CASE WHEN a.customer_id IS NULL THEN cm.${sql.ref(c)} ELSE a.${sql.ref(c)} END AS ${sql.ref(c)}`,
    ),
  );
  const recency = sql`extract(epoch FROM (${now}::timestamptz - x.last_order_at)) / 86400`;
  const result = await sql<{ buyers: number }>`
    WITH a AS MATERIALIZED (${aggregates(src, now, null)}),
    x AS MATERIALIZED (
      SELECT coalesce(a.customer_id, cm.customer_id) AS customer_id, ${merged}
      FROM a FULL JOIN customer_metrics cm ON cm.customer_id = a.customer_id
    ),
    t AS (
      SELECT
        percentile_cont(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY extract(epoch FROM (${now}::timestamptz - last_order_at)) / 86400) AS recency_days,
        percentile_cont(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY orders) AS frequency,
        percentile_cont(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY revenue) AS monetary,
        count(*)::int AS buyers
      FROM x WHERE orders > 0
      HAVING count(*) > 0
    ),
    cut AS (
      INSERT INTO rfm_thresholds (id, recency_days, frequency, monetary, computed_at, buyers)
      SELECT 1, recency_days, frequency, monetary, ${now}::timestamptz, buyers FROM t
      ON CONFLICT (id) DO UPDATE SET recency_days = excluded.recency_days, frequency = excluded.frequency,
        monetary = excluded.monetary, computed_at = excluded.computed_at, buyers = excluded.buyers
    ),
    scored AS (
      SELECT x.*,
        CASE WHEN x.orders = 0 THEN NULL ELSE 5 - (
          (${recency} > t.recency_days[1])::int + (${recency} > t.recency_days[2])::int +
          (${recency} > t.recency_days[3])::int + (${recency} > t.recency_days[4])::int) END::smallint AS r,
        CASE WHEN x.orders = 0 THEN NULL ELSE 1 + (x.orders > t.frequency[1])::int + (x.orders > t.frequency[2])::int +
          (x.orders > t.frequency[3])::int + (x.orders > t.frequency[4])::int END::smallint AS f,
        CASE WHEN x.orders = 0 THEN NULL ELSE 1 + (x.revenue > t.monetary[1])::int + (x.revenue > t.monetary[2])::int +
          (x.revenue > t.monetary[3])::int + (x.revenue > t.monetary[4])::int END::smallint AS m,
        CASE WHEN x.revenue <= 0 THEN 'C'
          WHEN sum(x.revenue) OVER (ORDER BY x.revenue DESC, x.customer_id) - x.revenue < 0.8 * sum(x.revenue) OVER () THEN 'A'
          WHEN sum(x.revenue) OVER (ORDER BY x.revenue DESC, x.customer_id) - x.revenue < 0.95 * sum(x.revenue) OVER () THEN 'B'
          ELSE 'C' END AS abc
      FROM x LEFT JOIN t ON true
    ),
    written AS (
      INSERT INTO customer_metrics AS cm (customer_id, ${cols}, r, f, m, segment, abc, updated_at)
      SELECT customer_id, ${cols}, r, f, m, ${SEGMENT}, abc, ${now}::timestamptz FROM scored
      ON CONFLICT (customer_id) DO UPDATE SET orders = excluded.orders, revenue = excluded.revenue,
        first_order_at = excluded.first_order_at, last_order_at = excluded.last_order_at,
        orders_30d = excluded.orders_30d, orders_90d = excluded.orders_90d, orders_365d = excluded.orders_365d,
        revenue_90d = excluded.revenue_90d, revenue_365d = excluded.revenue_365d,
        r = excluded.r, f = excluded.f, m = excluded.m, segment = excluded.segment, abc = excluded.abc,
        -- The time the purchases last changed, as the incremental path keeps it, not the scores.
        updated_at = CASE WHEN (cm.orders, cm.revenue, cm.last_order_at, cm.orders_30d, cm.orders_90d, cm.orders_365d)
          IS DISTINCT FROM (excluded.orders, excluded.revenue, excluded.last_order_at, excluded.orders_30d,
            excluded.orders_90d, excluded.orders_365d) THEN excluded.updated_at ELSE cm.updated_at END
      WHERE (cm.orders, cm.revenue, cm.first_order_at, cm.last_order_at, cm.orders_30d, cm.orders_90d,
          cm.orders_365d, cm.revenue_90d, cm.revenue_365d, cm.r, cm.f, cm.m, cm.segment, cm.abc)
        IS DISTINCT FROM (excluded.orders, excluded.revenue, excluded.first_order_at, excluded.last_order_at,
          excluded.orders_30d, excluded.orders_90d, excluded.orders_365d, excluded.revenue_90d,
          excluded.revenue_365d, excluded.r, excluded.f, excluded.m, excluded.segment, excluded.abc)
    )
    SELECT count(*)::int AS buyers FROM x WHERE orders > 0`.execute(db);
  return result.rows[0]?.buyers ?? 0;
}
