import { type RawBuilder, sql } from 'kysely';
import type { Db } from './db.ts';
import { deleteState, readState, writeState } from './engine-state.ts';
import { type Statement, statement } from './pipeline.ts';

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

/**
 * The aggregates of purchases, from the events, for these customers or all. `windows_change_at`:
 * the first moment an order counted in one of the windows leaves it (counted while
 * `occurred_at > now - window`), when the customer is next due.
 */
function aggregates(src: OrderSource, now: Date, customers: string[] | null): RawBuilder<unknown> {
  const amount = amountOf(src);
  return sql`
    SELECT e.customer_id, count(*)::int AS orders, sum(${amount}) AS revenue,
      min(e.occurred_at) AS first_order_at, max(e.occurred_at) AS last_order_at, ${windowed(src, now)}
    FROM events e
    WHERE e.type = ${src.event} ${customers === null ? sql`` : sql`AND e.customer_id = ANY(${customers}::text[])`}
    GROUP BY e.customer_id`;
}

/** The windowed aggregates alone, from the orders of the last year (the longest window). */
function windowAggregates(src: OrderSource, now: Date, customers: string[]): RawBuilder<unknown> {
  return sql`
    SELECT e.customer_id, ${windowed(src, now)}
    FROM events e
    WHERE e.type = ${src.event} AND e.customer_id = ANY(${customers}::text[])
      AND e.occurred_at > ${now}::timestamptz - interval '365 days'
    GROUP BY e.customer_id`;
}

/**
 * An order's amount. Only plain decimals count (the API refuses other amounts): an odd value
 * stored before that check, or emitted by a plugin, must neither fail a statement for the whole
 * batch nor turn the customer's revenue into NaN.
 */
function amountOf(src: OrderSource): RawBuilder<unknown> {
  const text = sql`e.data->>${src.amount}`;
  return sql`CASE WHEN ${text} ~ '^-?[0-9]+(\\.[0-9]+)?$' THEN (${text})::numeric ELSE 0 END`;
}

/** The columns of the 30/90/365-day windows, and when the first order counted leaves one. */
function windowed(src: OrderSource, now: Date): RawBuilder<unknown> {
  const amount = amountOf(src);
  return sql`
      (count(*) FILTER (WHERE e.occurred_at > ${now}::timestamptz - interval '30 days'))::int AS orders_30d,
      (count(*) FILTER (WHERE e.occurred_at > ${now}::timestamptz - interval '90 days'))::int AS orders_90d,
      (count(*) FILTER (WHERE e.occurred_at > ${now}::timestamptz - interval '365 days'))::int AS orders_365d,
      coalesce(sum(${amount}) FILTER (WHERE e.occurred_at > ${now}::timestamptz - interval '90 days'), 0) AS revenue_90d,
      coalesce(sum(${amount}) FILTER (WHERE e.occurred_at > ${now}::timestamptz - interval '365 days'), 0) AS revenue_365d,
      least(${leaves(now, 30)}, ${leaves(now, 90)}, ${leaves(now, 365)}) AS windows_change_at`;
}

/** When the oldest order inside the window of `days` leaves it (NULL: none is inside). */
const leaves = (now: Date, days: number) => {
  const window = sql.raw(`interval '${days} days'`);
  return sql`min(e.occurred_at) FILTER (WHERE e.occurred_at > ${now}::timestamptz - ${window}) + ${window}`;
};

/**
 * Days from a moment to now, in double precision as the cut points are: `extract` answers a
 * numeric, and comparing one with a cut point converts it through text (four times per score,
 * seconds over a million customers).
 */
const daysSince = (now: Date, at: RawBuilder<unknown>) =>
  sql`date_part('epoch', ${now}::timestamptz - ${at}) / 86400`;

/** Scores against the stored quintile boundaries: how many boundaries a value passes. */
const SCORES = (now: Date) => sql`
  r = CASE WHEN t.recency_days IS NULL OR x.last_order_at IS NULL THEN NULL ELSE
        5 - (SELECT count(*) FROM unnest(t.recency_days) b
             WHERE b < ${daysSince(now, sql`x.last_order_at`)})::int END,
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
function cuttingQuintiles(now: Date) {
  return sql`
    INSERT INTO rfm_thresholds (id, recency_days, frequency, monetary, computed_at, buyers)
    SELECT 1,
      percentile_cont(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY ${daysSince(now, sql`last_order_at`)}),
      percentile_cont(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY orders),
      percentile_cont(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY revenue),
      ${now}::timestamptz, count(*)::int
    FROM customer_metrics WHERE orders > 0
    HAVING count(*) > 0
    ON CONFLICT (id) DO UPDATE SET recency_days = excluded.recency_days, frequency = excluded.frequency,
      monetary = excluded.monetary, computed_at = excluded.computed_at, buyers = excluded.buyers`;
}

/** Whether the cut points are missing, or were cut from a base still small enough to cut again. */
export function readingCutPointsEarly(db: Db): Statement<boolean> {
  return statement(
    sql<{ buyers: number | null }>`SELECT buyers FROM rfm_thresholds WHERE id = 1`.compile(db),
    (rows) => {
      const cut = rows[0];
      return !cut || (cut.buyers !== null && cut.buyers < EARLY_BUYERS);
    },
  );
}

/**
 * Brings the purchase aggregates and scores of these customers up to date as their orders
 * arrive, so journeys see `customer.rfm` at once: scored against the current quintile cut points
 * (cut now when there are none yet, or while the base is small), in the same set-based
 * statements for the whole batch. ABC classes wait for the nightly recompute, which re-cuts.
 *
 * The statements, once `early` is known (readingCutPointsEarly), to send together
 * (store/pipeline.ts): they run in this order, each one seeing what the ones before wrote.
 */
export function refreshingMetrics(
  db: Db,
  src: OrderSource,
  now: Date,
  customers: string[],
  early: boolean,
): Statement<void>[] {
  if (customers.length === 0) return [];
  const done = () => undefined;
  // With new cut points every buyer is scored again (a small base); else only this batch's.
  const scored = early ? sql`x.orders > 0` : sql`x.customer_id = ANY(${customers}::text[])`;
  return [
    // Early cut points are re-cut, and every buyer scored against them, one batch at a time: the
    // lock is taken before this batch's rows are written, so two batches never wait on each other.
    ...(early
      ? [statement(sql`SELECT pg_advisory_xact_lock(hashtext('tend:rfm-cut'))`.compile(db), done)]
      : []),
    statement(storingAggregates(src, now, customers).compile(db), done),
    ...(early ? [statement(cuttingQuintiles(now).compile(db), done)] : []),
    statement(
      sql`
    UPDATE customer_metrics x SET ${SCORES(now)}
    FROM (SELECT * FROM rfm_thresholds RIGHT JOIN (SELECT 1) one ON true) t
    WHERE ${scored}`.compile(db),
      done,
    ),
    statement(sql`UPDATE customer_metrics x SET segment = ${SEGMENT} WHERE ${scored}`.compile(db), done),
  ];
}

/**
 * Counts these customers' purchases again from the events and stores the figures, scores aside.
 * `updated_at` is when the purchases last changed, as every writer of the table keeps it.
 */
function storingAggregates(src: OrderSource, now: Date, customers: string[]) {
  return sql`
    INSERT INTO customer_metrics AS cm (customer_id, ${sql.raw(AGGREGATES.join(', '))}, updated_at)
    SELECT a.*, ${now}::timestamptz FROM (${aggregates(src, now, customers)}) a
    ON CONFLICT (customer_id) DO UPDATE SET orders = excluded.orders, revenue = excluded.revenue,
      first_order_at = excluded.first_order_at, last_order_at = excluded.last_order_at,
      orders_30d = excluded.orders_30d, orders_90d = excluded.orders_90d, orders_365d = excluded.orders_365d,
      revenue_90d = excluded.revenue_90d, revenue_365d = excluded.revenue_365d,
      windows_change_at = excluded.windows_change_at, updated_at = ${PURCHASES_CHANGED}`;
}

/** `updated_at` in an upsert: the new time when the purchases changed, else the stored one. */
const PURCHASES_CHANGED = sql`CASE WHEN (cm.orders, cm.revenue, cm.last_order_at, cm.orders_30d, cm.orders_90d, cm.orders_365d)
  IS DISTINCT FROM (excluded.orders, excluded.revenue, excluded.last_order_at, excluded.orders_30d,
    excluded.orders_90d, excluded.orders_365d) THEN excluded.updated_at ELSE cm.updated_at END`;

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
  'windows_change_at',
] as const;

/** The columns a pass scores. */
const SCORED = ['r', 'f', 'm', 'segment', 'abc'] as const;

/** The stored columns a pass may change. */
const STORED = [...AGGREGATES, ...SCORED] as const;

/**
 * Which customers' purchases a pass counts again from the events: every customer's, or only
 * those whose windowed figures changed since (`windows_change_at` passed); orders arriving keep
 * the rest current (refreshingMetrics).
 */
export type MetricsScope = 'every-customer' | 'windows-due';

/**
 * Counts again the windowed figures of the customers whose `windows_change_at` has passed, from
 * their orders of the last year: time moves only those (lifetime figures change with orders
 * arriving, which refreshingMetrics counts). Their ids are read first: joined as a query,
 * PostgreSQL read every order event of the base to find theirs (5 s on a million customers).
 */
async function countWindowsDue(db: Db, src: OrderSource, now: Date): Promise<void> {
  const rows = await sql<{ customer_id: string }>`
    SELECT customer_id FROM customer_metrics WHERE windows_change_at <= ${now}::timestamptz`.execute(db);
  const due = rows.rows.map((r) => r.customer_id);
  if (due.length === 0) return;
  await sql`
    UPDATE customer_metrics cm SET orders_30d = w.orders_30d, orders_90d = w.orders_90d,
      orders_365d = w.orders_365d, revenue_90d = w.revenue_90d, revenue_365d = w.revenue_365d,
      windows_change_at = w.windows_change_at,
      updated_at = CASE WHEN (cm.orders_30d, cm.orders_90d, cm.orders_365d)
        IS DISTINCT FROM (w.orders_30d, w.orders_90d, w.orders_365d) THEN ${now}::timestamptz ELSE cm.updated_at END
    FROM (
      -- A customer without an order in the last year any more has nothing in any window.
      SELECT d.customer_id, coalesce(a.orders_30d, 0) AS orders_30d, coalesce(a.orders_90d, 0) AS orders_90d,
        coalesce(a.orders_365d, 0) AS orders_365d, coalesce(a.revenue_90d, 0) AS revenue_90d,
        coalesce(a.revenue_365d, 0) AS revenue_365d, a.windows_change_at
      FROM unnest(${due}::text[]) d(customer_id) LEFT JOIN (${windowAggregates(src, now, due)}) a USING (customer_id)
    ) w
    -- Named again for the table itself: else PostgreSQL merged the due rows with the whole of
    -- customer_metrics, reading every row of the base along its key.
    WHERE cm.customer_id = w.customer_id AND cm.customer_id = ANY(${due}::text[])`.execute(db);
}

/** The order source every customer's purchases were last counted with (engine_state). */
const COUNTED = 'lifecycle.metrics-counted';

/**
 * What the scheduled pass counts: every customer when none was counted with this order source
 * yet (a new or upgraded database, a changed `lifecycle.orders`, orders loaded past the ingest
 * path), else those due.
 */
export async function scheduledScope(db: Db, src: OrderSource): Promise<MetricsScope> {
  const counted = await readState<OrderSource>(db, COUNTED);
  return counted?.event === src.event && counted.amount === src.amount ? 'windows-due' : 'every-customer';
}

/** Makes the next scheduled pass count every customer (their orders were written directly). */
export const countEveryCustomerNext = (db: Db) => deleteState(db, COUNTED);

/**
 * The pass over the whole base, set-based: aggregates (of every customer, or of those due),
 * quintile boundaries, R/F/M scores, segments and ABC classes (A: the customers bringing the
 * first 80 % of revenue, B: the next 15 %, C: the rest). Returns how many customers have
 * purchases.
 *
 * Scores in one statement, so each customer's row is written once, and only when something in it
 * changed (computing aggregates, then scores, then segments in three statements wrote a
 * million-row base three times over, and each of its indexes with it); counting every customer,
 * the aggregates in the same statement. A customer without order events any more keeps the
 * aggregates stored, as the incremental path left them.
 */
export async function recomputeAllMetrics(
  db: Db,
  src: OrderSource,
  now: Date,
  scope: MetricsScope = 'every-customer',
): Promise<number> {
  const cols = sql.raw(AGGREGATES.join(', '));
  // A customer without order events any more keeps the figures stored, and is due no more.
  const stored = (c: string) =>
    c === 'windows_change_at'
      ? sql`CASE WHEN cm.windows_change_at > ${now}::timestamptz THEN cm.windows_change_at END`
      : sql`cm.${sql.ref(c)}`;
  const merged = sql.join(
    AGGREGATES.map(
      (c) => sql`CASE WHEN a.customer_id IS NULL THEN ${stored(c)} ELSE a.${sql.ref(c)} END AS ${sql.ref(c)}`,
    ),
  );
  if (scope === 'windows-due') await countWindowsDue(db, src, now);
  // The stored row's columns beside the new ones (a whole-row value, read field by field, cost
  // more than the rest of the pass). Due customers' figures were stored just now: only their
  // scores may differ.
  const compared = scope === 'every-customer' ? STORED : SCORED;
  const was = sql.join(compared.map((c) => sql`cm.${sql.ref(c)} AS ${sql.ref(`was_${c}`)}`));
  const wasStored = sql.join(compared.map((c) => sql.ref(`was_${c}`)));
  const isStored = sql.join(compared.map((c) => sql.ref(c)));
  const result = await sql<{ buyers: number }>`
    WITH x AS ${
      scope === 'every-customer'
        ? sql`MATERIALIZED (
      SELECT coalesce(a.customer_id, cm.customer_id) AS customer_id, ${merged}, ${was}
      FROM (${aggregates(src, now, null)}) a FULL JOIN customer_metrics cm ON cm.customer_id = a.customer_id)`
        : // Read where it is each time: a copy of a million rows went to disk and back four times.
          sql`NOT MATERIALIZED (SELECT cm.customer_id, ${cols}, ${was} FROM customer_metrics cm)`
    },
    t AS (
      SELECT
        percentile_cont(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY ${daysSince(now, sql`last_order_at`)}) AS recency_days,
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
    -- ABC in revenue order (highest first, then by id, the order of the revenue index, so the
    -- base needs no sort), on the ids and revenues alone: the revenue before each buyer, and
    -- the last buyer of A (within the first 80 % of the whole revenue) and of B (95 %).
    -- Sorting whole rows instead spilled them to disk.
    ranked AS MATERIALIZED (
      SELECT customer_id, revenue,
        sum(revenue) OVER (ORDER BY revenue DESC, customer_id DESC ROWS UNBOUNDED PRECEDING) - revenue AS before
      FROM x
    ),
    -- The whole revenue from the ranking already in memory: summed from x, it was a second read
    -- along the revenue index, one heap fetch per customer on pages the night's writes left
    -- unmarked in the visibility map (750,000 on a million customers).
    share AS (SELECT 0.8 * sum(revenue) AS a, 0.95 * sum(revenue) AS b FROM ranked),
    last_revenue AS (
      SELECT min(r.revenue) FILTER (WHERE r.revenue > 0 AND r.before < s.a) AS a,
        min(r.revenue) FILTER (WHERE r.revenue > 0 AND r.before < s.b) AS b
      FROM ranked r, share s
    ),
    abc_cut AS (
      SELECT l.a AS a_revenue, min(r.customer_id) FILTER (WHERE r.revenue = l.a AND r.before < s.a) AS a_id,
        l.b AS b_revenue, min(r.customer_id) FILTER (WHERE r.revenue = l.b AND r.before < s.b) AS b_id
      FROM last_revenue l CROSS JOIN share s LEFT JOIN ranked r ON r.revenue IN (l.a, l.b)
      GROUP BY l.a, l.b
    ),
    scored AS (
      SELECT x.*,
        CASE WHEN x.orders = 0 THEN NULL ELSE 5 - ((x.days > t.recency_days[1])::int + (x.days > t.recency_days[2])::int +
          (x.days > t.recency_days[3])::int + (x.days > t.recency_days[4])::int) END::smallint AS r,
        CASE WHEN x.orders = 0 THEN NULL ELSE 1 + (x.orders > t.frequency[1])::int + (x.orders > t.frequency[2])::int +
          (x.orders > t.frequency[3])::int + (x.orders > t.frequency[4])::int END::smallint AS f,
        CASE WHEN x.orders = 0 THEN NULL ELSE 1 + (x.money > t.monetary[1])::int + (x.money > t.monetary[2])::int +
          (x.money > t.monetary[3])::int + (x.money > t.monetary[4])::int END::smallint AS m,
        CASE WHEN x.revenue <= 0 THEN 'C'
          WHEN x.revenue > c.a_revenue OR (x.revenue = c.a_revenue AND x.customer_id >= c.a_id) THEN 'A'
          WHEN x.revenue > c.b_revenue OR (x.revenue = c.b_revenue AND x.customer_id >= c.b_id) THEN 'B'
          ELSE 'C' END AS abc
      -- Recency and revenue as the cut points' doubles, converted once per customer.
      FROM (SELECT x.*, ${daysSince(now, sql`x.last_order_at`)} AS days, x.revenue::float8 AS money FROM x) x
        LEFT JOIN t ON true LEFT JOIN abc_cut c ON true
      -- Not folded into what follows: the segment reads R and F nine times each, and folded,
      -- each read computed the score again (5 s on a million customers).
      OFFSET 0
    ),
    segmented AS (SELECT scored.*, ${SEGMENT} AS segment FROM scored),
    written AS (
      INSERT INTO customer_metrics AS cm (customer_id, ${cols}, r, f, m, segment, abc, updated_at)
      SELECT customer_id, ${cols}, r, f, m, segment, abc, ${now}::timestamptz FROM segmented x
      -- Only the rows that change are written: most of a base keeps its scores from one night to the next.
      WHERE (${isStored}) IS DISTINCT FROM (${wasStored})
      ON CONFLICT (customer_id) DO UPDATE SET orders = excluded.orders, revenue = excluded.revenue,
        first_order_at = excluded.first_order_at, last_order_at = excluded.last_order_at,
        orders_30d = excluded.orders_30d, orders_90d = excluded.orders_90d, orders_365d = excluded.orders_365d,
        revenue_90d = excluded.revenue_90d, revenue_365d = excluded.revenue_365d,
        windows_change_at = excluded.windows_change_at, r = excluded.r, f = excluded.f, m = excluded.m,
        segment = excluded.segment, abc = excluded.abc,
        updated_at = ${PURCHASES_CHANGED}
    )
    SELECT count(*)::int AS buyers FROM x WHERE orders > 0`.execute(db);
  if (scope === 'every-customer')
    await writeState(db, COUNTED, { event: src.event, amount: src.amount }, now);
  return result.rows[0]?.buyers ?? 0;
}
