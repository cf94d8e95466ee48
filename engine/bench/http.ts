import autocannon from 'autocannon';
import pg from 'pg';
import { cpuSnapshot } from './cpu-time.ts';
import { resetStatements, topStatements } from './statements.ts';
import { api, checkpoint, engineClock, spawnEngine } from './support.ts';

/**
 * (n) The path real integrations use: one event per HTTP request (autocannon), 20,000 customers
 * rotated, a journey event → choose on amount → core.set → end. Reports events accepted per
 * second and HTTP latency at 10 and 50 connections, and how fast their runs completed.
 */
const JOURNEY = `
id: http-bench
name: One event per request
trigger: { event: http.order }
entry: { reenter: always }
start: check
states:
  check:
    choose:
      - when: 'event.data.amount > 100'
        next: big
      - next: small
  big:
    steps: [ { uses: core.set, with: { values: { size: big } } } ]
    end: big
  small:
    steps: [ { uses: core.set, with: { values: { size: small } } } ]
    end: small
`;

const CUSTOMERS = 20_000;

export async function httpBench(
  databaseUrl: string,
  seconds: number,
  connections: number[],
  postmaster: number | null,
  statements = false,
) {
  const engine = await spawnEngine(databaseUrl);
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await api(engine.url, 'POST', '/api/workflows', JOURNEY, 'application/yaml');
    await api(engine.url, 'POST', '/api/workflows/http-bench/publish', { version: 1 });
    // An integration sends with a key made for it (ingest role), as README tells integrators to.
    const { key } = (await api(engine.url, 'POST', '/api/keys', { name: 'http-bench', role: 'ingest' })) as {
      key: string;
    };
    const results = [];
    let n = 0;
    for (const c of connections) {
      await checkpoint(db);
      const counting = statements && (await resetStatements(db));
      const before = await completed(db);
      // Where the CPU goes: the engine, PostgreSQL, and this process (autocannon, the load).
      const cpu = async () => ({ ...(await cpuSnapshot(engine.pid, postmaster)), load: process.cpuUsage() });
      const cpuBefore = await cpu();
      const startedAt = engineClock().getTime();
      const started = performance.now();
      const run = await autocannon({
        url: `${engine.url}/api/events`,
        connections: c,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            setupRequest: (req) => {
              n += 1;
              const body = { customerId: `h${n % CUSTOMERS}`, type: 'http.order', data: { amount: n % 200 } };
              return { ...req, body: JSON.stringify(body) };
            },
          },
        ],
      });
      const sendSeconds = (performance.now() - started) / 1000;
      const accepted = run['2xx'];
      // Wait for every run the accepted events started to end.
      let last: Date | null = null;
      for (;;) {
        const r = await completed(db);
        if (r.n - before.n >= accepted) {
          last = r.at;
          break;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      const cpuAfter = await cpu();
      const runSeconds = ((last?.getTime() ?? engineClock().getTime()) - startedAt) / 1000;
      const load = process.cpuUsage(cpuBefore.load);
      const perThousand = (seconds: number) => Math.round((seconds * 1e6) / Math.max(1, accepted));
      results.push({
        connections: c,
        requests: run.requests.total,
        accepted,
        errors: run.errors + run.non2xx,
        acceptedPerSecond: Math.round(accepted / sendSeconds),
        completedPerSecond: Math.round(accepted / runSeconds),
        latencyMs: { p50: run.latency.p50, p99: run.latency.p99, max: run.latency.max },
        cpuMsPerThousand: {
          engine: perThousand(cpuAfter.engine - cpuBefore.engine),
          postgres:
            cpuAfter.postgres === null || cpuBefore.postgres === null
              ? null
              : perThousand(cpuAfter.postgres - cpuBefore.postgres),
          load: perThousand((load.user + load.system) / 1e6),
          machine: perThousand(cpuAfter.machine - cpuBefore.machine),
        },
        statements: counting ? await topStatements(db) : null,
      });
    }
    return results;
  } finally {
    await db.end();
    await engine.stop();
  }
}

async function completed(db: pg.Client): Promise<{ n: number; at: Date | null }> {
  const r = await db.query<{ n: number; at: Date | null }>(
    `SELECT count(*)::int AS n, max(ended_at) AS at FROM runs WHERE workflow_id = 'http-bench' AND status <> 'active'`,
  );
  return r.rows[0] ?? { n: 0, at: null };
}
