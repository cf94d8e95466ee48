/**
 * `pnpm bench`: the engine against raw pg-boss, in one run on one database (DESIGN §8 asks for
 * ratios, because these machines are shared and noisy).
 *
 *  (a) raw pg-boss: no-op jobs/s at the engine's batch size and worker settings
 *  (b) engine: durable transitions/s for N customers through steps, a 0 s timer, choose, split
 *  (c) b ÷ a
 *  (d) event → first step latency, p50 / p99, at light load (`--network-ms N`: also with
 *      PostgreSQL N ms away each way, through a TCP proxy that holds what passes)
 *  (e) engine memory (RSS) as runs grow
 *  (f)–(h) customer data at 1M customers (customers.ts): bulk enrollment, RFM, ingest
 *  (i)–(k) delivery (messaging.ts): messages/s to an SMTP peer and the dev mailbox, against
 *          the engine alone
 *
 *  (n) one event per HTTP request (http.ts): accepted events/s, HTTP p50/p99, runs completed/s
 *  (o) the workspace's reads on the large base (workspace.ts): customers list, name search, overview
 *  (p) what a customer in every key costs the hot tables without one (key-widths.ts), on request
 *  (q) `--only predictions` (predictions.ts): the purchase model's refresh over 1M buyers
 *  (r) `--only calibration` (calibration.ts): predicted against actual orders in a held-back period
 *  (s) `--only best-time` (best-time.ts): the reads of a best-time wait on a base with a history
 *  (t) `--only growth` (growth.ts): ingest, transitions/s and the customers list as events grow
 *      from 0 to `--growth-events` in `--growth-steps` steps; not in the full run
 *
 * `--only engine|customers|messaging|http|workspace|keys` runs one part (`workspace`: the base seeded as
 * for `customers`, then only the workspace's reads; `pnpm bench --only editor` runs it before the
 * editor's rendering benchmark). `--statements` adds where PostgreSQL's time went (statements.ts)
 * in the engine rounds, the batch ingest and at each HTTP load.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { networkHop, roundTripMs } from '../../tests/support/network-hop.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { startEmbeddedPostgres } from '../src/postgres/embedded.ts';
import { bestTimeBench } from './best-time.ts';
import { calibrationBench } from './calibration.ts';
import { cpuSnapshot } from './cpu-time.ts';
import { customerBench, workspaceBench } from './customers.ts';
import { diskShortage } from './disk-need.ts';
import { growthBench, printGrowth } from './growth.ts';
import { httpBench } from './http.ts';
import { keyWidthBench } from './key-widths.ts';
import { messagingBench } from './messaging.ts';
import { predictionsBench } from './predictions.ts';
import {
  printStatements,
  resetStatements,
  STATEMENT_FLAGS,
  type StatementTime,
  topStatements,
} from './statements.ts';
import {
  api,
  checkpoint,
  engineClock,
  memoryOf,
  percentile,
  progress,
  root,
  spawnEngine,
} from './support.ts';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
/*
 * Rounds of 20,000 customers (about ten seconds each) and 60,000 raw jobs: with 5,000 and 30,000
 * a round lasted three seconds, and filling and draining the pipeline weighed on it as much as
 * the differences being measured.
 */
const CUSTOMERS = flag('--customers', 20_000);
const ROUNDS = flag('--rounds', 3);
const RAW_JOBS = flag('--raw-jobs', 60_000);
const LATENCY_EVENTS = flag('--latency-events', 200);
/** `--network-ms N`: (d) again with PostgreSQL N ms away each way (tests/support/network-hop.ts); 0: not. */
const NETWORK_MS = flag('--network-ms', 0);
const BASE = flag('--base-customers', 1_000_000);
const MEAN_ORDERS = flag('--mean-orders', 10);
const INGEST_EVENTS = flag('--ingest-events', 200_000);
const MESSAGES = flag('--messages', 2000);
const HTTP_SECONDS = flag('--http-seconds', 10);
const KEY_ROWS = flag('--key-rows', 300_000);
const PREDICTION_CUSTOMERS = flag('--prediction-customers', 1_000_000);
const CALIBRATION_CUSTOMERS = flag('--calibration-customers', 20_000);
const BEST_TIME_CUSTOMERS = flag('--best-time-customers', 100_000);
const GROWTH_EVENTS = flag('--growth-events', 50_000_000);
const GROWTH_STEPS = flag('--growth-steps', 5);
const GROWTH_CUSTOMERS = flag('--growth-customers', 200_000);
const GROWTH_UPGRADE_EVENTS = flag('--growth-upgrade-events', 1_000_000);
const GROWTH_REPEATS = flag('--growth-repeats', 3);
const ONLY = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;
/** `--statements`: where PostgreSQL's time went in the engine rounds and the HTTP load. */
const STATEMENTS = args.includes('--statements');
/** Customer ids unique to this invocation, so a reused DATABASE_URL does not skew the counts. */
const TAG = Date.now().toString(36);

const JOURNEY = `
id: bench
name: Benchmark journey
trigger: { event: bench.start }
start: work
states:
  work:
    steps:
      - uses: bench.noop
      - uses: bench.noop
    wait: { for: 0s }
    choose:
      - when: 'customer.id.endsWith("0")'
        next: tenth
      - next: fork
  fork:
    split:
      - { weight: 50, next: a }
      - { weight: 50, next: b }
  tenth:
    steps: [ { uses: bench.noop } ]
    end: tenth
  a:
    steps: [ { uses: bench.noop } ]
    end: a
  b: { end: b }
`;

const LATENCY = `
id: latency
name: Latency probe
trigger: { event: latency.start }
start: mark
states:
  mark:
    steps: [ { id: mark, uses: bench.mark } ]
    end: done
`;

async function main() {
  const config = loadConfig({ ...process.env, TEND_LOG_LEVEL: 'warn' });
  const log = createLogger('warn');
  // A million customers take ~8 GB: the data goes when the run ends.
  if (!process.env.DATABASE_URL) {
    const shortage = await diskShortage(tmpdir(), {
      only: ONLY ?? null,
      baseCustomers: BASE,
      growthEvents: GROWTH_EVENTS,
    });
    if (shortage) {
      process.stderr.write(`bench: ${shortage}\n`);
      process.exit(1);
    }
  }
  const dataDir = process.env.DATABASE_URL ? null : await mkdtemp(path.join(tmpdir(), 'tend-bench-'));
  const embedded = dataDir
    ? await startEmbeddedPostgres(dataDir, log, STATEMENTS ? STATEMENT_FLAGS : [])
    : null;
  // Through the socket, as `tend start` reaches its embedded server.
  const databaseUrl = process.env.DATABASE_URL ?? (embedded?.socketUrl as string);
  process.stderr.write(
    `Benchmark on ${embedded ? 'an embedded PostgreSQL' : 'DATABASE_URL'}; batch ${config.batchSize}, concurrency ${config.concurrency}\n`,
  );
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
  };
  try {
    if (!ONLY || ONLY === 'engine') {
      results.engine = await engineBench(databaseUrl, config, await postmasterOf(embedded));
      printEngine(results.engine);
      const { statements } = results.engine as { statements: StatementTime[] | null };
      if (statements) printStatements('PostgreSQL time in the engine rounds, by statement', statements);
    }
    if (!ONLY || ONLY === 'customers') {
      const customers = await customerBench(
        databaseUrl,
        {
          customers: BASE,
          meanOrders: MEAN_ORDERS,
          ingestEvents: INGEST_EVENTS,
          batchSize: 500,
          statements: STATEMENTS,
        },
        await postmasterOf(embedded),
      );
      results.customers = customers;
      printCustomers(customers);
      const { statements } = customers.ingest;
      if (statements) printStatements('PostgreSQL time in the batch ingest, by statement', statements);
      const enrolling = customers.enrollment.statements;
      if (enrolling) printStatements('PostgreSQL time in the bulk enrollment, by statement', enrolling);
    }
    if (ONLY === 'workspace') {
      results.workspace = await workspaceBench(databaseUrl, { customers: BASE, meanOrders: MEAN_ORDERS });
      printWorkspace(results.workspace);
    }
    // Not in the full run: it writes a base of its own, which the customers part's would join.
    if (ONLY === 'predictions') {
      results.predictions = await predictionsBench(databaseUrl, { customers: PREDICTION_CUSTOMERS });
      process.stdout.write(`\n(q) predictions: ${JSON.stringify(results.predictions, null, 2)}\n`);
    }
    // Not in the full run: it loads millions of events, which every later part would carry.
    if (ONLY === 'growth') {
      const growth = await growthBench(databaseUrl, {
        events: GROWTH_EVENTS,
        steps: GROWTH_STEPS,
        customers: GROWTH_CUSTOMERS,
        upgradeEvents: GROWTH_UPGRADE_EVENTS,
        repeats: GROWTH_REPEATS,
      });
      results.growth = growth;
      printGrowth(growth);
    }
    if (ONLY === 'calibration') {
      results.calibration = await calibrationBench(databaseUrl, {
        customers: CALIBRATION_CUSTOMERS,
        meanOrders: MEAN_ORDERS,
      });
      process.stdout.write(`\n(r) calibration: ${JSON.stringify(results.calibration, null, 2)}\n`);
    }
    if (ONLY === 'best-time') {
      results.bestTime = await bestTimeBench(databaseUrl, {
        customers: BEST_TIME_CUSTOMERS,
        engagements: 12,
        others: 18,
      });
      process.stdout.write(`\n(s) best time: ${JSON.stringify(results.bestTime, null, 2)}\n`);
    }
    if (!ONLY || ONLY === 'messaging') {
      results.messaging = await messagingBench(databaseUrl, MESSAGES);
      printMessaging(results.messaging);
    }
    if (!ONLY || ONLY === 'http') {
      results.http = await httpBench(
        databaseUrl,
        HTTP_SECONDS,
        [10, 50],
        await postmasterOf(embedded),
        STATEMENTS,
      );
      printHttp(results.http as any[]);
      for (const x of results.http as { connections: number; statements: StatementTime[] | null }[])
        if (x.statements)
          printStatements(`PostgreSQL time at ${x.connections} connections, by statement`, x.statements);
    }
    if (ONLY === 'keys') {
      results.keys = await keyWidthBench(databaseUrl, KEY_ROWS);
      printKeys(results.keys as Awaited<ReturnType<typeof keyWidthBench>>);
    }
    await mkdir(path.join(root, 'bench-results'), { recursive: true });
    const file = path.join(root, 'bench-results', 'latest.json');
    await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`\nJSON: ${path.relative(process.cwd(), file)}\n`);
  } finally {
    await embedded?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

/** (a)–(e): the engine against raw pg-boss. */
async function engineBench(
  databaseUrl: string,
  config: ReturnType<typeof loadConfig>,
  postmaster: number | null,
) {
  // The machine is shared: pg-boss is measured before and after the engine, and the ratio uses
  // the mean, so a slow spell does not land on one side only.
  const rawBefore = await rawPgBoss(databaseUrl, 'bench-raw-before', config.batchSize, config.concurrency);
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  // Each side starts with the other's writes on disk, not with the kernel still writing them back.
  await checkpoint(db);
  const engine = await spawnEngine(databaseUrl);
  try {
    await api(engine.url, 'POST', '/api/workflows', JOURNEY, 'application/yaml');
    await api(engine.url, 'POST', '/api/workflows/bench/publish', { version: 1 });
    await api(engine.url, 'POST', '/api/workflows', LATENCY, 'application/yaml');
    await api(engine.url, 'POST', '/api/workflows/latency/publish', { version: 1 });

    const idle = await memoryOf(engine.pid);
    const counting = STATEMENTS && (await resetStatements(db));
    const rounds: Awaited<ReturnType<typeof throughput>>[] = [];
    const rss: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      rounds.push(await throughput(engine, db, `round ${i + 1}`, i * CUSTOMERS, postmaster));
      rss.push((await memoryOf(engine.pid)).rss);
    }
    const statements = counting ? await topStatements(db) : null;
    await checkpoint(db);
    const rawAfter = await rawPgBoss(databaseUrl, 'bench-raw-after', config.batchSize, config.concurrency);
    const raw = (rawBefore + rawAfter) / 2;
    const latency = await measureLatency(engine, db, `lat${TAG}`);
    const peak = (await memoryOf(engine.pid)).peak;
    await engine.stop();
    const remote = NETWORK_MS > 0 ? await latencyAcrossHop(databaseUrl, db) : null;
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const engineRate = mean(rounds.map((r) => r.transitions / r.seconds));
    const transitions = rounds.reduce((n, r) => n + r.transitions, 0);
    const perThousand = (pick: (r: (typeof rounds)[number]) => number | null) =>
      rounds.some((r) => pick(r) === null)
        ? null
        : round((rounds.reduce((s, r) => s + (pick(r) ?? 0), 0) / transitions) * 1e6, 1);
    return {
      settings: {
        batchSize: config.batchSize,
        concurrency: config.concurrency,
        customers: CUSTOMERS,
        rounds: ROUNDS,
        rawJobs: RAW_JOBS,
      },
      rawPgBoss: { jobsPerSecond: round(raw), before: round(rawBefore), after: round(rawAfter) },
      durableTransitionsPerSecond: round(engineRate),
      rounds: rounds.map((r) => ({
        ...r,
        transitionsPerSecond: round(r.transitions / r.seconds),
        runsPerSecond: round(CUSTOMERS / r.seconds),
      })),
      ingestEventsPerSecond: round(mean(rounds.map((r) => r.ingestRate))),
      // Where the rounds' work went, per 1,000 transitions: the engine process, the PostgreSQL
      // server (embedded only) and the whole machine (with the benchmark's own client).
      cpuMsPerThousandTransitions: {
        engine: perThousand((r) => r.cpuSeconds.engine),
        postgres: perThousand((r) => r.cpuSeconds.postgres),
        machine: perThousand((r) => r.cpuSeconds.machine),
      },
      machineBusy: round(
        rounds.reduce((s, r) => s + r.cpuSeconds.machine, 0) /
          (rounds.reduce((s, r) => s + r.seconds, 0) * cpus().length),
        3,
      ),
      ratio: round(engineRate / raw, 3),
      latencyMs: latency,
      latencyAcrossHopMs: remote,
      rssMiB: {
        idle: round(idle.rss),
        afterRounds: rss.map((x) => round(x)),
        peak: round(peak),
      },
      statements,
    };
  } finally {
    await db.end();
    await engine.stop();
  }
}

/** (d) again, with the engine's connections through `networkHop` (`--network-ms`). */
async function latencyAcrossHop(databaseUrl: string, db: pg.Client) {
  const hop = await networkHop(databaseUrl, NETWORK_MS);
  try {
    const roundTrip = await roundTripMs(hop.url);
    const engine = await spawnEngine(hop.url);
    try {
      return {
        ...(await measureLatency(engine, db, `hop${TAG}`)),
        holdMs: NETWORK_MS,
        roundTripMs: roundTrip,
      };
    } finally {
      await engine.stop();
    }
  } finally {
    await hop.close();
  }
}

/** (a) Raw pg-boss: no-op jobs through a queue set up like the engine's step queue. */
async function rawPgBoss(
  url: string,
  queue: string,
  batchSize: number,
  concurrency: number,
): Promise<number> {
  const boss = new PgBoss({
    connectionString: url,
    max: 10,
    useListenNotify: true,
    superviseIntervalSeconds: 5,
    monitorIntervalSeconds: 5,
    queueCacheIntervalSeconds: 5,
    schedule: false,
  });
  boss.on('error', () => {});
  await boss.start();
  await boss.createQueue(queue, {
    notify: true,
    partition: true,
    heartbeatSeconds: 10,
    deleteAfterSeconds: 3600,
  });
  for (let i = 0; i < RAW_JOBS; i += 5000) {
    await boss.insert(
      queue,
      Array.from({ length: Math.min(5000, RAW_JOBS - i) }, (_, j) => ({ data: { n: i + j } })),
    );
    progress('raw pg-boss: queue jobs', Math.min(i + 5000, RAW_JOBS), RAW_JOBS);
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('ANALYZE'); // DESIGN §8: plans go wrong after a bulk load until analysed
  await client.end();
  let done = 0;
  let started = 0;
  const finished = new Promise<void>((resolve) => {
    void boss.work(
      queue,
      {
        batchSize,
        localConcurrency: concurrency,
        burstWhenBatchFull: true,
        pollingIntervalSeconds: 2,
        notifyPollingIntervalSeconds: 5,
      },
      async (jobs) => {
        if (started === 0) started = performance.now();
        done += jobs.length;
        if (done % 5000 < jobs.length) progress('raw pg-boss: work jobs', done, RAW_JOBS);
        if (done >= RAW_JOBS) resolve();
      },
    );
  });
  await finished;
  const seconds = (performance.now() - started) / 1000;
  progress('raw pg-boss: work jobs', RAW_JOBS, RAW_JOBS);
  await boss.stop({ graceful: true, timeout: 5000 });
  return RAW_JOBS / seconds;
}

/** (b) N customers through the benchmark journey; counts durable transitions from history. */
async function throughput(
  engine: Awaited<ReturnType<typeof spawnEngine>>,
  db: pg.Client,
  label: string,
  offset: number,
  postmaster: number | null,
) {
  const cpu = () => cpuSnapshot(engine.pid, postmaster);
  const cpuBefore = await cpu();
  const started = performance.now();
  // The engine's clock: the round ends at its last run's ended_at, which that clock recorded.
  const startedAt = engineClock().getTime();
  for (let i = 0; i < CUSTOMERS; i += 1000) {
    const batch = Array.from({ length: Math.min(1000, CUSTOMERS - i) }, (_, j) => ({
      customerId: `b${TAG}-${offset + i + j}`,
      type: 'bench.start',
    }));
    await api(engine.url, 'POST', '/api/events/batch', batch);
  }
  const ids = Array.from({ length: CUSTOMERS }, (_, i) => `b${TAG}-${offset + i}`);
  const ingestRate = CUSTOMERS / ((performance.now() - started) / 1000);
  let peak = 0;
  let lastEnded: Date | null = null;
  /*
   * The loop watches what is left to do (events not yet dispatched, active runs: a small table and
   * a partial index) and counts the round's ended runs only once nothing is left. Counting them
   * four times a second read every benchmark run so far (12 ms at 60,000), 4.5 % of PostgreSQL's
   * statement time during a round, taken from the engine being measured.
   */
  for (;;) {
    const left = await db.query<{ pending: number; active: number }>(
      `SELECT (SELECT count(*) FROM event_dispatch)::int AS pending,
              (SELECT count(*) FROM runs WHERE status = 'active' AND workflow_id = 'bench')::int AS active`,
    );
    const { pending = 0, active = 0 } = left.rows[0] ?? {};
    peak = Math.max(peak, (await memoryOf(engine.pid)).rss);
    // Approximate until the end: stage changes wait in event_dispatch too.
    const done = Math.max(0, CUSTOMERS - pending - active);
    progress(`engine ${label}`, done, CUSTOMERS, `runs, rss ${peak.toFixed(0)} MiB`);
    if (pending === 0 && active === 0) {
      const r = await db.query<{ n: number; at: Date | null }>(
        `SELECT count(*)::int AS n, max(ended_at) AS at FROM runs
         WHERE workflow_id = 'bench' AND status <> 'active' AND customer_id = ANY($1)`,
        [ids],
      );
      lastEnded = r.rows[0]?.at ?? null;
      if ((r.rows[0]?.n ?? 0) >= CUSTOMERS) break;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  // The round ends when its last run ended (by the engine's clock), not when this loop's next
  // look noticed: a quarter-second poll would add up to 10 % to a short round.
  const seconds = ((lastEnded?.getTime() ?? engineClock().getTime()) - startedAt) / 1000;
  const cpuAfter = await cpu();
  const counted = await db.query<{ type: string; n: number }>(
    `SELECT h.type, count(*)::int AS n FROM run_history_entries h JOIN runs r ON r.id = h.run_id
     WHERE r.workflow_id = 'bench' AND r.customer_id = ANY($1) AND h.type IN ('run.started', 'step.done', 'timer.fired', 'state.entered')
     GROUP BY h.type`,
    [ids],
  );
  const by = Object.fromEntries(counted.rows.map((r) => [r.type, r.n]));
  // A durable transition: an event applied to a run and its new state committed (start, step
  // result, timer). State entries are more: choose and split move on without a commit of their own.
  const transitions = (by['run.started'] ?? 0) + (by['step.done'] ?? 0) + (by['timer.fired'] ?? 0);
  return {
    seconds: round(seconds, 2),
    transitions,
    stateEntries: by['state.entered'] ?? 0,
    ingestRate,
    peakRssMiB: round(peak),
    cpuSeconds: {
      engine: round(cpuAfter.engine - cpuBefore.engine, 2),
      postgres:
        cpuAfter.postgres === null || cpuBefore.postgres === null
          ? null
          : round(cpuAfter.postgres - cpuBefore.postgres, 2),
      machine: round(cpuAfter.machine - cpuBefore.machine, 2),
    },
  };
}

/**
 * (d) One event at a time, 25 ms apart: the time from the API call to the first step running, and
 * the part of it until the answer (202: the event stored), to show where the rest goes.
 */
async function measureLatency(
  engine: Awaited<ReturnType<typeof spawnEngine>>,
  db: pg.Client,
  prefix: string,
) {
  const sent = new Map<string, number>();
  const answers: number[] = [];
  for (let i = 0; i < LATENCY_EVENTS; i++) {
    const id = `${prefix}-${i}`;
    // On the engine's clock, which the bench.mark step records too.
    sent.set(id, engineClock().getTime());
    const asked = performance.now();
    await api(engine.url, 'POST', '/api/events', { customerId: id, type: 'latency.start' });
    answers.push(Math.round(performance.now() - asked));
    progress('latency: events', i + 1, LATENCY_EVENTS);
    await new Promise((r) => setTimeout(r, 25));
  }
  for (;;) {
    const r = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM runs WHERE workflow_id = 'latency' AND status = 'completed' AND customer_id LIKE $1`,
      [`${prefix}-%`],
    );
    if ((r.rows[0]?.n ?? 0) >= LATENCY_EVENTS) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const rows = await db.query<{ customer_id: string; at: string }>(
    `SELECT r.customer_id, s.output->>'at' AS at FROM step_results s JOIN runs r ON r.id = s.run_id
     WHERE r.workflow_id = 'latency' AND r.customer_id LIKE $1`,
    [`${prefix}-%`],
  );
  const ms = rows.rows.map((r) => Number(r.at) - (sent.get(r.customer_id) ?? 0)).sort((a, b) => a - b);
  answers.sort((a, b) => a - b);
  return {
    p50: percentile(ms, 50),
    p99: percentile(ms, 99),
    max: ms.at(-1) ?? null,
    samples: ms.length,
    answer: { p50: percentile(answers, 50), p99: percentile(answers, 99) },
  };
}

function printEngine(r: any) {
  table(`Engine, ${r.settings.customers} customers per round, batch ${r.settings.batchSize}`, [
    [
      '(a) raw pg-boss, no-op jobs/s',
      `${r.rawPgBoss.jobsPerSecond.toLocaleString('en')} (before ${r.rawPgBoss.before.toLocaleString('en')}, after ${r.rawPgBoss.after.toLocaleString('en')})`,
    ],
    ['(b) engine, durable transitions/s', r.durableTransitionsPerSecond.toLocaleString('en')],
    ['    runs/s per round', r.rounds.map((x: any) => x.runsPerSecond).join(', ')],
    ['(c) ratio b ÷ a', `${(r.ratio * 100).toFixed(1)} % (goal ≥ 100 %)`],
    ['    CPU ms per 1,000 transitions', cpuLine(r)],
    [
      '(d) event → first step, p50 / p99',
      `${r.latencyMs.p50} ms / ${r.latencyMs.p99} ms (goal ≤ 5 ms / ≤ 20 ms at light load); of which the answer (202) ${r.latencyMs.answer.p50} ms / ${r.latencyMs.answer.p99} ms`,
    ],
    ...hopLine(r.latencyAcrossHopMs),
    [
      '(e) engine RSS idle → after each round',
      `${[r.rssMiB.idle, ...r.rssMiB.afterRounds].join(' → ')} MiB (peak ${r.rssMiB.peak}; goal ≤ 150 MiB)`,
    ],
  ]);
}

/** (d) across the network hop of `--network-ms`, when measured. */
function hopLine(hop: any): [string, string][] {
  if (!hop) return [];
  return [
    [
      `    PostgreSQL ${hop.holdMs} ms away each way`,
      `${hop.p50} ms / ${hop.p99} ms (a round trip ${hop.roundTripMs} ms); of which the answer ${hop.answer.p50} ms / ${hop.answer.p99} ms`,
    ],
  ];
}

function cpuLine(r: any): string {
  const { engine, postgres, machine } = r.cpuMsPerThousandTransitions;
  const busy = `machine ${(r.machineBusy * 100).toFixed(0)} % busy`;
  if (postgres === null) return `engine ${engine}, whole machine ${machine} (${busy})`;
  return `engine ${engine}, PostgreSQL ${postgres} (${busy})`;
}

function printCustomers(r: any) {
  table(
    `Customer data, ${r.customers.toLocaleString('en')} customers, ${r.orders.toLocaleString('en')} orders (seeded in ${r.seedSeconds} s)`,
    [
      ['(f) bulk enrollment: all enrolled', `${r.enrollment.enrolledSeconds} s`],
      ['    … and every first step done', `${r.enrollment.allFirstStepsSeconds} s (goal ≤ 60 s for 1M)`],
      [
        '    CPU per 1,000 runs',
        `engine ${r.enrollment.cpuMsPerThousandRuns.engine} ms, PostgreSQL ${r.enrollment.cpuMsPerThousandRuns.postgres ?? '?'} ms`,
      ],
      [
        '(g) RFM + ABC, the nightly pass',
        `${r.rfm.seconds} s (goal ≤ 10 s for 1M customers, 5M orders); counting every customer's orders: ${r.rfm.everyCustomerSeconds} s`,
      ],
      ['(h) batch event ingest', `${r.ingest.eventsPerSecond.toLocaleString('en')} events/s (goal ≥ 20,000)`],
    ],
  );
  printWorkspace(r);
}

function printWorkspace(r: any) {
  table(
    `Workspace reads on ${r.customers.toLocaleString('en')} customers (goal: each under 300 ms at the API; cold, then median of 5)`,
    r.workspace.map((w: any) => [w.label, `${w.coldMs} ms cold, ${w.medianMs} ms (${w.rows} rows)`]),
  );
  if (!r.render) return;
  table(
    'Workspace in the browser (goal: each under 1 s; navigation or click to the frame showing it, median of 3)',
    r.render.error
      ? [['error', r.render.error]]
      : [
          ['customers list, first page', `${r.render.customersListMs} ms`],
          ['name search (王)', `${r.render.nameSearchMs} ms`],
          ['overview dashboard', `${r.render.overviewMs} ms`],
        ],
  );
}

function printMessaging(r: any) {
  const rate = (x: any) => `${x.perSecond.toLocaleString('en')} messages/s (${x.messages} in ${x.seconds} s)`;
  table('Delivery, events → outbox → provider', [
    ['(i) engine alone, a no-op step', rate(r.engineAlone)],
    ['(j) email to a local SMTP peer', `${rate(r.smtp)}, ${(r.smtpRatio * 100).toFixed(0)} % of (i)`],
    [
      '(k) dev mailbox (no SMTP_URL)',
      `${rate(r.devMailbox)}, ${(r.devMailboxRatio * 100).toFixed(0)} % of (i)`,
    ],
  ]);
}

function printHttp(r: any[]) {
  table(
    'One event per HTTP request (goal at 50 connections: ≥ 2,500 events/s accepted and completed, p99 ≤ 50 ms)',
    r.flatMap((x) => [
      [
        `(n) ${x.connections} connections`,
        `${x.acceptedPerSecond.toLocaleString('en')} accepted/s, runs completed ${x.completedPerSecond.toLocaleString('en')}/s, HTTP p50 ${x.latencyMs.p50} ms / p99 ${x.latencyMs.p99} ms${x.errors ? `, ${x.errors} errors` : ''}`,
      ],
      [
        '    CPU per 1,000 events',
        `engine ${x.cpuMsPerThousand.engine} ms, PostgreSQL ${x.cpuMsPerThousand.postgres ?? '?'} ms, load (autocannon) ${x.cpuMsPerThousand.load} ms; machine ${x.cpuMsPerThousand.machine} ms`,
      ],
    ]),
  );
}

/** The embedded server's postmaster, whose CPU time /proc shows; a DATABASE_URL server's it does not. */
async function postmasterOf(embedded: { dataDir: string } | null): Promise<number | null> {
  if (!embedded) return null;
  return Number((await readFile(path.join(embedded.dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
}

function printKeys(r: Awaited<ReturnType<typeof keyWidthBench>>) {
  table(
    `A customer in every key: ${(r[0]?.rows ?? 0).toLocaleString('en')} rows, 500 per statement (median of turns)`,
    r.map((x) => [
      `(p) ${x.shape}`,
      `${x.tableMb} MB, of which indexes ${x.indexMb} MB; ${x.seconds} s (${x.secondsEach.join(', ')})`,
    ]),
  );
}

function table(title: string, rows: [string, string][]) {
  const w = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(`\n${title}\n`);
  for (const [k, v] of rows) process.stdout.write(`  ${k.padEnd(w)}  ${v}\n`);
}

const round = (n: number, digits = 0) => Number(n.toFixed(digits));

await main();
void root;
