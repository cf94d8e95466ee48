/**
 * Customer-data benchmarks (issue goals in brackets), on the same database as the engine bench:
 *  - bulk enrollment of N customers into a scheduled journey, until every first step is done [1M in ≤ 60 s]
 *  - RFM/ABC recomputation over N customers and their orders [1M customers, 5M orders in ≤ 10 s]
 *  - batch event ingest through the API [≥ 20,000 events/s]
 *  - the workspace's reads: customers list, name search, overview [each under 1 s at 1M]
 */
import pg from 'pg';
import { seedDemo } from '../src/demo/seed.ts';
import { KeyRing } from '../src/privacy/key-ring.ts';
import { recomputeAllMetrics } from '../src/store/customer-metrics.ts';
import { createDb } from '../src/store/db.ts';
import { writeState } from '../src/store/engine-state.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { PREDICTIONS_STATE } from '../src/workers/predictions-refresh.ts';
import { cpuSnapshot } from './cpu-time.ts';
import { resetStatements, topStatements } from './statements.ts';
import { api, checkpoint, engineClock, progress, spawnEngine } from './support.ts';
import { workspaceReads, workspaceRender } from './workspace.ts';

const ORDERS = { event: 'order.placed', amount: 'amount' };

export interface CustomerBenchOptions {
  customers: number;
  meanOrders: number;
  ingestEvents: number;
  batchSize: number;
  /** Where PostgreSQL's time went during the batch ingest (pg_stat_statements). */
  statements: boolean;
}

/** Seeds the synthetic base, vacuums it, scores RFM + ABC; the engine's own recompute is marked done. */
async function seedBase(databaseUrl: string, o: { customers: number; meanOrders: number }) {
  const { db } = createDb(databaseUrl, { max: 8 });
  await migrateToLatest(db);
  const keys = new KeyRing(Buffer.alloc(32, 9));

  let started = performance.now();
  const seeded = await seedDemo(
    db,
    keys,
    ORDERS,
    { customers: o.customers, seed: 7, meanOrders: o.meanOrders, now: engineClock() },
    (n, orders) => progress('seed customers', n, o.customers, `(${orders.toLocaleString('en')} orders)`),
  );
  const seedSeconds = (performance.now() - started) / 1000;
  // A base in service has long been vacuumed and written to disk; a freshly bulk-loaded one would
  // have autovacuum working through millions of new rows, and the kernel writing gigabytes of
  // dirty pages back (measured: over a core of writeback threads), during the measurements.
  process.stderr.write('  VACUUM ANALYZE, CHECKPOINT …\n');
  await settle(databaseUrl, { vacuum: true });

  // The base was loaded past the ingest path, so its first pass counts every customer's orders
  // (as the engine's first pass does), a day ago; the measured pass is the next night's, which
  // counts again only the customers an order left a 30/90/365-day window of since.
  process.stderr.write('  RFM recompute: every customer, then the next night …\n');
  const yesterday = new Date(engineClock().getTime() - 86_400_000);
  started = performance.now();
  await recomputeAllMetrics(db, ORDERS, yesterday, 'every-customer');
  const everyCustomerSeconds = (performance.now() - started) / 1000;
  await settle(databaseUrl, { vacuum: true });
  started = performance.now();
  const buyers = await recomputeAllMetrics(db, ORDERS, engineClock(), 'windows-due');
  const rfmSeconds = (performance.now() - started) / 1000;
  // The engine would otherwise run its own first recompute (and stage every customer) while the
  // enrollment is measured.
  const recomputed = engineClock();
  await writeState(
    db,
    'lifecycle.recomputed',
    { at: recomputed.toISOString(), reason: 'benchmark' },
    recomputed,
  );
  // …and the prediction refresh that follows it (measured apart: `--only predictions`).
  await writeState(db, PREDICTIONS_STATE, { at: recomputed.toISOString(), reason: 'benchmark' }, recomputed);
  await db.destroy();
  await settle(databaseUrl, { vacuum: false });
  return { seeded, seedSeconds, buyers, rfmSeconds, everyCustomerSeconds };
}

export async function customerBench(databaseUrl: string, o: CustomerBenchOptions, postmaster: number | null) {
  const { seeded, seedSeconds, buyers, rfmSeconds, everyCustomerSeconds } = await seedBase(databaseUrl, o);

  const engine = await spawnEngine(databaseUrl, { TEND_BATCH_SIZE: String(o.batchSize) });
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const counting = o.statements && (await resetStatements(client));
    const rate = await ingestRate(engine.url, o.ingestEvents);
    const ingest = { ...rate, statements: counting ? await topStatements(client) : null };
    // Ingest created customers of its own: the schedule is for everyone there is.
    const everyone = Number((await client.query('SELECT count(*)::int AS n FROM customers')).rows[0].n);
    const countingEnrollment = o.statements && (await resetStatements(client));
    const cpuBefore = await cpuSnapshot(engine.pid, postmaster);
    const enrollment = await bulkEnrollment(engine.url, client, everyone);
    const cpuAfter = await cpuSnapshot(engine.pid, postmaster);
    // Where the enrollment's work went, per 1,000 runs started and through their first step.
    const perThousandRuns = (pick: (c: typeof cpuBefore) => number | null) => {
      const [a, b] = [pick(cpuBefore), pick(cpuAfter)];
      return a === null || b === null ? null : round(((b - a) / everyone) * 1e6, 1);
    };
    const enrollmentCost = {
      cpuMsPerThousandRuns: {
        engine: perThousandRuns((c) => c.engine),
        postgres: perThousandRuns((c) => c.postgres),
      },
      statements: countingEnrollment ? await topStatements(client) : null,
    };
    const workspace = await workspaceReads(engine.url);
    return {
      customers: seeded.customers,
      orders: seeded.orders,
      seedSeconds: round(seedSeconds, 1),
      rfm: { seconds: round(rfmSeconds, 1), buyers, everyCustomerSeconds: round(everyCustomerSeconds, 1) },
      enrollment: { ...enrollment, ...enrollmentCost },
      ingest,
      workspace,
    };
  } finally {
    await client.end();
    await engine.stop();
  }
}

/**
 * `--only editor`: the base seeded as for the customer bench, then only what a CRM manager opens
 * in the browser, through the API (customers list, name search, dashboard).
 */
export async function workspaceBench(databaseUrl: string, o: { customers: number; meanOrders: number }) {
  const { seeded } = await seedBase(databaseUrl, o);
  const engine = await spawnEngine(databaseUrl);
  try {
    // An engine in service has counted the overview of a large base already (it does so at start
    // and every minute): the reads start once that count is kept.
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    for (let i = 0; i < 120; i++) {
      const kept = await client.query(`SELECT 1 FROM engine_state WHERE key = 'overview.snapshot'`);
      if (kept.rowCount) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    await client.end();
    return {
      customers: seeded.customers,
      orders: seeded.orders,
      workspace: await workspaceReads(engine.url),
      ...(process.env.TEND_BENCH_RENDER === '1' ? { render: workspaceRender(engine.url) } : {}),
    };
  } finally {
    await engine.stop();
  }
}

/** Publishes a journey scheduled once, 15 s ahead, and times that occurrence through every first step. */
async function bulkEnrollment(url: string, db: pg.Client, total: number) {
  const at = new Date(engineClock().getTime() + 15_000);
  const cron = `${at.getUTCSeconds()} ${at.getUTCMinutes()} ${at.getUTCHours()} ${at.getUTCDate()} ${at.getUTCMonth() + 1} *`;
  const yaml = `
id: bulk
name: Everyone, on a schedule
trigger:
  schedule: { cron: "${cron}", tz: UTC }
entry: { reenter: always }
start: first
states:
  first:
    steps: [ { uses: bench.noop } ]
    end: done
`;
  await api(url, 'POST', '/api/workflows', yaml, 'application/yaml');
  await api(url, 'POST', '/api/workflows/bulk/publish', { version: 1 });
  // Progress from the engine's own counters: counting the runs in SQL every second took a quarter
  // of a core of PostgreSQL at 300,000 runs, growing with them, from the enrollment it measured.
  const before = await runCounts(url);
  let firstStart: number | null = null;
  let enrolledAt: number | null = null;
  for (;;) {
    const now = await runCounts(url);
    const started = now.started - before.started;
    const done = now.completed - before.completed;
    if (started > 0 && firstStart === null) {
      const first = await db.query<{ first: Date | null }>(
        `SELECT min(started_at) AS first FROM runs WHERE workflow_id = 'bulk'`,
      );
      firstStart = first.rows[0]?.first?.getTime() ?? null;
    }
    if (started >= total && enrolledAt === null) enrolledAt = engineClock().getTime();
    progress('bulk enrollment: enrolled', started, total);
    progress('bulk enrollment: first step', done, total);
    if (done >= total) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const last = await db.query<{ last: Date }>(
    `SELECT max(ended_at) AS last FROM runs WHERE workflow_id = 'bulk'`,
  );
  // Runs record the occurrence's time (the engine's clock) as their start; the clock starts there.
  const start = firstStart ?? engineClock().getTime();
  const seconds = ((last.rows[0]?.last.getTime() ?? engineClock().getTime()) - start) / 1000;
  const enrollSeconds = ((enrolledAt ?? engineClock().getTime()) - start) / 1000;
  return {
    customers: total,
    enrolledSeconds: round(enrollSeconds, 1),
    allFirstStepsSeconds: round(seconds, 1),
    runsPerSecond: round(total / seconds),
  };
}

/** Runs the engine has started and completed so far (its Prometheus counters). */
async function runCounts(url: string): Promise<{ started: number; completed: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (series: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line ? Number(line.slice(series.length + 1)) : 0;
  };
  return {
    started: value('tend_runs_started_total'),
    completed: value('tend_runs_ended_total{status="completed"}'),
  };
}

/** Four clients posting batches of 5,000 events; accepted events per second. */
async function ingestRate(url: string, total: number) {
  const BATCH = 5000;
  const CLIENTS = 4;
  let sent = 0;
  const started = performance.now();
  const client = async (c: number) => {
    for (let b = c; b * BATCH < total; b += CLIENTS) {
      const events = Array.from({ length: Math.min(BATCH, total - b * BATCH) }, (_, i) => ({
        customerId: `ingest-${(b * BATCH + i) % 50_000}`,
        type: 'page.viewed',
        data: { path: '/products/tea', n: b * BATCH + i },
      }));
      await api(url, 'POST', '/api/events/batch', events);
      sent += events.length;
      progress('batch ingest', sent, total);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
  const seconds = (performance.now() - started) / 1000;
  return { events: total, seconds: round(seconds, 1), eventsPerSecond: round(total / seconds) };
}

/** Vacuums (when asked) and checkpoints: the checkpoint returns once the data files are on disk. */
async function settle(url: string, { vacuum }: { vacuum: boolean }) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  if (vacuum) await c.query('VACUUM ANALYZE');
  await checkpoint(c);
  await c.end();
}

const round = (n: number, digits = 0) => Number(n.toFixed(digits));
