/**
 * (t) `--only growth`: whether the engine stays as fast as `events` grows. Events are bulk-loaded
 * in steps from 0 to `--growth-events` (spread over the 13 months before now and a base of
 * `--growth-customers`, straight into the month partitions), and at each step the same three
 * measurements run: events/s through the real ingest (`POST /api/events/batch`), durable
 * transitions/s of a small journey, and the customers list (`GET /api/customers`, median of
 * repeated calls). Each is printed against the first step: flat is within 20 %. Then what the
 * idempotency key costs at that size: 1,000 events inserted as the engine does (their keys in
 * `event_keys` first) and without a key, alternated, rolled back. Before that, the upgrade:
 * `--growth-upgrade-events` events in the previous schema's `events`, then the migration that
 * partitions it, timed.
 */
import { sql } from 'kysely';
import pg from 'pg';
import { createDb } from '../src/store/db.ts';
import { createEventMonths } from '../src/store/event-partitions.ts';
import { insertEvents } from '../src/store/events.ts';
import { migrateTo, migrateToLatest } from '../src/store/migrate.ts';
import { monthBucket } from '../src/store/monthly-partitions.ts';
import { api, checkpoint, engineClock, percentile, progress, spawnEngine } from './support.ts';

const JOURNEY = `
id: growth
name: Growth probe
trigger: { event: growth.start }
start: work
states:
  work:
    steps:
      - uses: bench.noop
      - uses: bench.noop
    end: done
`;

/*
 * Events per INSERT of the bulk load. Each chunk is written month by month and, within a month, in
 * customer order (`bulkLoad`), so it sweeps each partition's customer indexes once, in order; the
 * bigger the chunk, the more rows each index page takes in one visit.
 */
const LOAD_CHUNK = 2_500_000;
/** Events sent through the API at each step, 1,000 a request. */
const INGEST_EVENTS = 20_000;
/** Journeys run at each step. */
const RUNS = 4_000;
const LIST_CALLS = 15;

export interface GrowthOptions {
  events: number;
  steps: number;
  customers: number;
  upgradeEvents: number;
  /** Measurements per step; each figure is their median. */
  repeats: number;
}

/** Rounds of the ingest key's A/B (each a batch of KEY_BATCH events, rolled back). */
const KEY_ROUNDS = 9;
const KEY_BATCH = 1000;

/**
 * What the idempotency key costs ingest, on the tables as they are: the engine's insert
 * (store/events.ts#insertEvents: the key in `event_keys`, then the event) against the same insert
 * with no key at all, alternated in one connection, each batch rolled back so nothing grows.
 * Milliseconds per batch, medians.
 */
async function keyCost(db: ReturnType<typeof createDb>['db'], tag: string, customers: number) {
  const keyed: number[] = [];
  const bare: number[] = [];
  const rollBack = new Error('roll back');
  for (let r = 0; r < KEY_ROUNDS; r++) {
    const batch = Array.from({ length: KEY_BATCH }, (_, j) => ({
      id: `${tag}-p${r}-${j}`,
      customerId: `g${(hash(`${tag}${r}${j}`) >>> 0) % customers}`,
      type: 'growth.probe',
      data: {},
      occurredAt: engineClock(),
    }));
    for (const variant of r % 2 === 0 ? ['keyed', 'bare'] : ['bare', 'keyed']) {
      let ms = 0;
      await db
        .transaction()
        .execute(async (trx) => {
          const now = engineClock();
          const started = performance.now();
          if (variant === 'keyed') await insertEvents(trx, batch, now);
          else
            await sql`
              INSERT INTO events (id, customer_id, type, data, occurred_at, received_at, bucket)
              SELECT e.id, e.customer_id, e.type, e.data, e.occurred_at, ${now}::timestamptz,
                ${monthBucket(now)}::date
              FROM jsonb_to_recordset(${JSON.stringify(
                batch.map((b) => ({ ...b, customer_id: b.customerId, occurred_at: b.occurredAt })),
              )}::jsonb) AS e(id text, customer_id text, type text, data jsonb, occurred_at timestamptz)`.execute(
              trx,
            );
          ms = performance.now() - started;
          throw rollBack;
        })
        .catch((e: unknown) => {
          if (e !== rollBack) throw e;
        });
      (variant === 'keyed' ? keyed : bare).push(ms);
    }
  }
  const med = (xs: number[]) =>
    percentile(
      xs.sort((a, b) => a - b),
      50,
    );
  return { keyedMs: round(med(keyed), 1), bareMs: round(med(bare), 1) };
}

const hash = (text: string) => {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h;
};

/** The migration before the one that partitions `events`. */
const PREVIOUS_SCHEMA = '2026-12-10-26-experiments';

/** Times the migration that partitions `events` on a database of the previous schema holding `events` events. */
async function upgradeBench(databaseUrl: string, events: number) {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  const name = `tend_upgrade_${engineClock().getTime().toString(36)}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  const { db, pool } = createDb(url.toString(), { max: 2 });
  try {
    await migrateTo(db, PREVIOUS_SCHEMA);
    const client = await pool.connect();
    try {
      for (let from = 0; from < events; from += LOAD_CHUNK) {
        await client.query(
          `INSERT INTO events (id, customer_id, type, data, occurred_at, received_at)
           SELECT 'old-' || g, 'g' || (hashint8(g) & 2147483647) % 200000, 'page.viewed',
             jsonb_build_object('path', '/p/' || g % 1000), at, at
           FROM generate_series($1::bigint, $1::bigint + $2 - 1) g,
             LATERAL (SELECT $3::timestamptz - (g % 395) * interval '1 day' AS at) t`,
          [from, Math.min(LOAD_CHUNK, events - from), engineClock()],
        );
        progress('growth: previous schema', Math.min(from + LOAD_CHUNK, events), events);
      }
      await client.query('VACUUM ANALYZE events');
      await checkpoint(client);
      const started = performance.now();
      await migrateToLatest(db);
      const seconds = (performance.now() - started) / 1000;
      const after = await client.query<{ n: string }>(`SELECT count(*) AS n FROM events_before`);
      return { events, migrationSeconds: round(seconds, 1), eventsAfter: Number(after.rows[0]?.n) };
    } finally {
      client.release();
    }
  } finally {
    await db.destroy();
    await admin.query(`DROP DATABASE ${name}`);
    await admin.end();
  }
}

export async function growthBench(databaseUrl: string, opts: GrowthOptions) {
  const upgrade = opts.upgradeEvents > 0 ? await upgradeBench(databaseUrl, opts.upgradeEvents) : null;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const engine = await spawnEngine(databaseUrl);
  const { db, pool } = createDb(databaseUrl, { max: 2 });
  const tag = engineClock().getTime().toString(36);
  try {
    await api(engine.url, 'POST', '/api/workflows', JOURNEY, 'application/yaml');
    await api(engine.url, 'POST', '/api/workflows/growth/publish', { version: 1 });
    const now = engineClock();
    // The past 13 months get their partitions, as a year of running would have made them.
    await createEventMonths(
      db,
      Array.from({ length: 14 }, (_, i) => monthBucket(now, i - 13)),
    );
    await client.query(
      `INSERT INTO customers (id, created_at, updated_at)
       SELECT 'g' || i, $1::timestamptz - i * interval '1 minute', $1::timestamptz
       FROM generate_series(0, $2 - 1) i ON CONFLICT DO NOTHING`,
      [now, opts.customers],
    );
    // A first, discarded measurement warms the engine up, so step 0 is not the cold one.
    await measure(engine.url, client, `${tag}-warm`, opts.customers);
    const steps: Measured[] = [];
    let loaded = 0;
    for (let step = 0; step <= opts.steps; step++) {
      const target = Math.round((opts.events * step) / opts.steps);
      const loadStarted = performance.now();
      while (loaded < target) {
        const n = Math.min(LOAD_CHUNK, target - loaded);
        await bulkLoad(client, loaded, n, opts.customers, engineClock());
        loaded += n;
        progress(`growth: load to ${target}`, loaded, target);
      }
      const loadSeconds = (performance.now() - loadStarted) / 1000;
      await client.query('ANALYZE');
      await checkpoint(client);
      // The machine is shared: each figure is the median of a few measurements in a row.
      const tries: Awaited<ReturnType<typeof measure>>[] = [];
      for (let r = 0; r < opts.repeats; r++) {
        tries.push(await measure(engine.url, client, `${tag}-${step}-${r}`, opts.customers));
      }
      const median = (pick: (m: (typeof tries)[number]) => number) =>
        percentile(
          tries.map(pick).sort((a, b) => a - b),
          50,
        );
      const key = await keyCost(db, `${tag}-${step}`, opts.customers);
      steps.push({
        ...key,
        events: median((m) => m.events),
        ingestEventsPerSecond: median((m) => m.ingestEventsPerSecond),
        transitionsPerSecond: median((m) => m.transitionsPerSecond),
        customersListMs: median((m) => m.customersListMs),
        loadSeconds,
      });
      // A long run shows each step as it is measured, not only at its end.
      if (step === 0) process.stderr.write(GROWTH_HEADER);
      process.stderr.write(growthLine(relative(steps[step] as Measured, steps[0])));
    }
    const rows = await client.query<{ n: string }>('SELECT count(*) AS n FROM events');
    // Tables and their indexes, every partition of `events` counted.
    const sizes = await client.query<{ events: string; keys: string }>(
      `SELECT (SELECT sum(pg_total_relation_size(c.oid)) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'events'::regclass) AS events,
              pg_total_relation_size('event_keys') AS keys`,
    );
    const mb = (bytes: string | undefined) => Math.round(Number(bytes ?? 0) / 1_048_576);
    return {
      settings: opts,
      upgrade,
      totalEvents: Number(rows.rows[0]?.n),
      eventsMB: mb(sizes.rows[0]?.events),
      keysMB: mb(sizes.rows[0]?.keys),
      steps: steps.map((s) => relative(s, steps[0])),
    };
  } finally {
    await db.destroy();
    await pool.end().catch(() => {});
    await engine.stop();
    await client.end();
  }
}

/**
 * `n` synthetic events numbered from `from`, received over the 395 days before `now`, with their
 * keys (the key table grows with the events, as it does in use).
 *
 * Written month by month and, within a month, by customer: in the order they were made, each row
 * went to a random page of a random month's two customer indexes, and once those outgrew the
 * buffer cache (past about 20 million rows) a step of 10 million took 38–47 minutes instead of
 * 9–13. Sorted, a chunk visits each index page once, in order. The tables and indexes hold the
 * same rows either way; only the heap's order within a month differs, which none of the measured
 * work reads by.
 */
async function bulkLoad(client: pg.Client, from: number, n: number, customers: number, now: Date) {
  // The chunk's sort in memory rather than in temporary files.
  await client.query(`SET work_mem = '1GB'`);
  await client.query(
    `WITH loaded AS (
       INSERT INTO events (id, customer_id, type, data, occurred_at, received_at, bucket)
       SELECT 'grow-' || g, 'g' || (hashint8(g) & 2147483647) % $3::int,
         (ARRAY['page.viewed', 'product.viewed', 'cart.updated', 'email.opened'])[1 + g % 4],
         jsonb_build_object('path', '/p/' || g % 1000), at, at,
         date_trunc('month', at AT TIME ZONE 'UTC')::date
       FROM generate_series($1::bigint, $1::bigint + $2 - 1) g,
         LATERAL (SELECT $4::timestamptz - (g % 395) * interval '1 day' - (g % 86400) * interval '1 second' AS at) t
       ORDER BY 7, 2
       RETURNING id, customer_id, bucket
     )
     INSERT INTO event_keys (id, customer_id, bucket) SELECT id, customer_id, bucket FROM loaded`,
    [from, n, customers, now],
  );
  await client.query('RESET work_mem');
}

async function measure(url: string, client: pg.Client, tag: string, customers: number) {
  // Ingest: fresh events for existing customers, 1,000 a request, then their dispatch drains.
  const ingestStarted = performance.now();
  for (let i = 0; i < INGEST_EVENTS; i += 1000) {
    const batch = Array.from({ length: 1000 }, (_, j) => ({
      id: `${tag}-i${i + j}`,
      customerId: `g${(i + j) % customers}`,
      type: 'growth.ping',
    }));
    await api(url, 'POST', '/api/events/batch', batch);
  }
  const ingestRate = INGEST_EVENTS / ((performance.now() - ingestStarted) / 1000);
  await drained(client, 'growth: dispatch');

  // Transitions: RUNS journeys of two steps each, until the last has ended (engine's clock).
  const ids = Array.from({ length: RUNS }, (_, i) => `${tag}-r${i}`);
  const startedAt = engineClock().getTime();
  for (let i = 0; i < RUNS; i += 1000) {
    await api(
      url,
      'POST',
      '/api/events/batch',
      ids.slice(i, i + 1000).map((customerId) => ({ customerId, type: 'growth.start' })),
    );
  }
  let endedAt = startedAt;
  for (;;) {
    const r = await client.query<{ n: number; at: Date | null }>(
      `SELECT count(*)::int AS n, max(ended_at) AS at FROM runs
       WHERE workflow_id = 'growth' AND status <> 'active' AND customer_id = ANY($1)`,
      [ids],
    );
    progress('growth: runs', r.rows[0]?.n ?? 0, RUNS);
    if ((r.rows[0]?.n ?? 0) >= RUNS) {
      endedAt = r.rows[0]?.at?.getTime() ?? engineClock().getTime();
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const counted = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM run_history_entries h JOIN runs r ON r.id = h.run_id
     WHERE r.workflow_id = 'growth' AND r.customer_id = ANY($1) AND h.type IN ('run.started', 'step.done')`,
    [ids],
  );
  const transitionsPerSecond = (counted.rows[0]?.n ?? 0) / ((endedAt - startedAt) / 1000);
  await drained(client, 'growth: dispatch');

  // The customers list, first page, as the workspace opens it.
  const times: number[] = [];
  for (let i = 0; i < LIST_CALLS; i++) {
    const t = performance.now();
    await api(url, 'GET', '/api/customers?limit=50');
    times.push(performance.now() - t);
  }
  const events = await client.query<{ n: string }>(
    `SELECT reltuples::bigint AS n FROM pg_class WHERE relname = 'events'`,
  );
  return {
    events: Number(events.rows[0]?.n ?? 0),
    ingestEventsPerSecond: ingestRate,
    transitionsPerSecond,
    customersListMs: percentile(
      times.sort((a, b) => a - b),
      50,
    ),
  };
}

async function drained(client: pg.Client, label: string) {
  for (;;) {
    const r = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM event_dispatch');
    if ((r.rows[0]?.n ?? 0) === 0) return;
    progress(label, 0, r.rows[0]?.n ?? 0, 'waiting');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

type Measured = Awaited<ReturnType<typeof measure>> &
  Awaited<ReturnType<typeof keyCost>> & { loadSeconds: number };

const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;

/** A step's figures, with each as a share of the first step's (1.00: the same). */
function relative(s: Measured, first: Measured | undefined) {
  const ratio = (a: number, b: number | undefined) => (b ? round(a / b, 2) : null);
  return {
    events: s.events,
    loadSeconds: round(s.loadSeconds, 1),
    ingestEventsPerSecond: round(s.ingestEventsPerSecond),
    ingestVsFirst: ratio(s.ingestEventsPerSecond, first?.ingestEventsPerSecond),
    transitionsPerSecond: round(s.transitionsPerSecond),
    transitionsVsFirst: ratio(s.transitionsPerSecond, first?.transitionsPerSecond),
    customersListMs: round(s.customersListMs, 1),
    customersListVsFirst: ratio(s.customersListMs, first?.customersListMs),
    keyedInsertMs: s.keyedMs,
    bareInsertMs: s.bareMs,
  };
}

const GROWTH_HEADER =
  '  events      load s   ingest ev/s (×first)   transitions/s (×first)   customers list ms (×first)   1,000 events: with key / without ms\n';

/** One step's line, flagging a figure more than 20 % off the first step's. */
function growthLine(s: ReturnType<typeof relative>): string {
  const vs = (r: number | null, worseAbove: boolean) =>
    r === null ? '' : ` (${r.toFixed(2)}${(worseAbove ? r > 1.2 : r < 0.8) ? ' !' : ''})`;
  return (
    `  ${String(s.events).padStart(10)}  ${String(s.loadSeconds).padStart(7)}` +
    `  ${String(s.ingestEventsPerSecond).padStart(8)}${vs(s.ingestVsFirst, false).padEnd(10)}` +
    `     ${String(s.transitionsPerSecond).padStart(8)}${vs(s.transitionsVsFirst, false).padEnd(10)}` +
    `       ${String(s.customersListMs).padStart(6)}${vs(s.customersListVsFirst, true).padEnd(10)}` +
    `            ${s.keyedInsertMs} / ${s.bareInsertMs}\n`
  );
}

/** Prints the steps as a table. */
export function printGrowth(result: Awaited<ReturnType<typeof growthBench>>): void {
  if (result.upgrade) {
    const u = result.upgrade;
    process.stdout.write(
      `\n(t) upgrade: ${u.events} events of the previous schema partitioned in ${u.migrationSeconds} s; ${u.eventsAfter} kept\n`,
    );
  }
  process.stdout.write(
    `\n(t) growth: ${result.totalEvents} events at the end: ${result.eventsMB} MB, their keys ${result.keysMB} MB\n`,
  );
  process.stdout.write(GROWTH_HEADER);
  for (const s of result.steps) process.stdout.write(growthLine(s));
}
