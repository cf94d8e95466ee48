import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/database.ts';
import { type RecordingPeer, startPeer } from '../support/peer.ts';
import { call, type EngineProcess, spawnEngine } from '../support/process.ts';

/*
 * A dispatch or timer job runs the steps its transition leads to itself, and so does a process
 * that dispatched an event it took (under a watch job). These tests kill the engine while such a
 * driver is inside a step: the job's retry (or the watch job, come due) must hand the run to a
 * step job, and the step must complete once.
 */

let databaseUrl: string;
let peer: RecordingPeer;
let engine: EngineProcess | null = null;
let db: pg.Client;

const journey = (url: string) => `
id: borrowed
name: Borrowed drivers
trigger: { event: borrowed.start }
start: first
states:
  first:
    steps:
      - id: one
        uses: test.record
        with: { url: "${url}", delayMs: 4000 }
    wait: { for: 0s }
    next: second
  second:
    steps:
      - id: two
        uses: test.record
        with: { url: "${url}", delayMs: 4000 }
    end: completed
`;

const stale = (url: string) => `
id: stale
name: A timer that goes stale while steps run
trigger: { event: stale.start }
start: waiting
states:
  waiting:
    wait: { event: go, timeout: 1s }
    on:
      go: busy
      timeout: busy
  busy:
    steps:
      - id: slow
        uses: test.record
        with: { url: "${url}", delayMs: 3000 }
    end: completed
`;

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  peer = await startPeer();
  db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  engine = await spawnEngine(databaseUrl);
  await call(engine.url, 'POST', '/api/workflows', journey(peer.url), 'application/yaml');
  await call(engine.url, 'POST', '/api/workflows/borrowed/publish', { version: 1 });
  await call(engine.url, 'POST', '/api/workflows', stale(peer.url), 'application/yaml');
  await call(engine.url, 'POST', '/api/workflows/stale/publish', { version: 1 });
});
afterAll(async () => {
  await engine?.kill('SIGKILL');
  await db?.end();
  await peer?.close();
});

/** The queue of the job that drives the customer's run, once the run is inside `step`. */
async function driverQueue(customer: string, step: number, calls: number): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = await db.query<{ name: string | null; state: string }>(
      `SELECT j.name, r.state FROM runs r LEFT JOIN pgboss.job j ON j.id = r.driver
       WHERE r.customer_id = $1 AND r.phase = 'steps'`,
      [customer],
    );
    // The step is running once the peer has its call.
    if (r.rows[0]?.name && peer.calls >= calls) return r.rows[0].name;
    if (Date.now() > deadline) throw new Error(`no driver for step ${step} of ${customer}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function finished(customer: string) {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const r = await db.query<{ status: string; id: string }>(
      `SELECT id, status FROM runs WHERE customer_id = $1`,
      [customer],
    );
    if (r.rows[0]?.status === 'completed') return r.rows[0].id;
    if (Date.now() > deadline) throw new Error(`run of ${customer} did not finish\n${engine?.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** How many times each step of a run completed. */
async function stepsDone(runId: string): Promise<Record<string, number>> {
  const done = await db.query<{ step: string; n: number }>(
    `SELECT step, count(*)::int AS n FROM run_history_entries WHERE run_id = $1 AND type = 'step.done' GROUP BY step`,
    [runId],
  );
  return Object.fromEntries(done.rows.map((r) => [r.step, r.n]));
}

describe('jobs that drive the steps they lead to', () => {
  it('a timer that went stale leaves alone a run another job drives', async () => {
    if (!engine) throw new Error('no engine');
    const before = peer.calls;
    await call(engine.url, 'POST', '/api/events/batch', [
      { customerId: 'bd-0', type: 'stale.start' },
      { customerId: 'bd-0', type: 'go' },
    ]);
    // The timeout comes due (1 s) while the step the event led to still runs (3 s).
    await finished('bd-0');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(peer.calls - before).toBe(1);
  });

  it('a dispatch job killed inside the first step: its retry hands the run to a step job', async () => {
    if (!engine) throw new Error('no engine');
    // A batch's events are dispatched by a dispatch job.
    await call(engine.url, 'POST', '/api/events/batch', [{ customerId: 'bd-1', type: 'borrowed.start' }]);
    expect(await driverQueue('bd-1', 1, peer.calls + 1)).toBe('tend-dispatch');
    const job = await db.query<{ state: string }>(
      `SELECT j.state FROM runs r JOIN pgboss.job j ON j.id = r.driver WHERE r.customer_id = 'bd-1'`,
    );
    expect(job.rows[0]?.state).toBe('active');
    await engine.kill('SIGKILL');
    engine = await spawnEngine(databaseUrl);
    const runId = await finished('bd-1');
    expect(await stepsDone(runId)).toEqual({ one: 1, two: 1 });
    const handed = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'tend-step' AND data->>'run' = $1`,
      [runId],
    );
    expect(handed.rows[0]?.n).toBeGreaterThanOrEqual(1);
  });

  it('a process killed inside the first step of an event it dispatched: the watch job hands the run on', async () => {
    if (!engine) throw new Error('no engine');
    // An event on its own is dispatched by the process that took it, under a watch job.
    await call(engine.url, 'POST', '/api/events', { customerId: 'bd-3', type: 'borrowed.start' });
    expect(await driverQueue('bd-3', 1, peer.calls + 1)).toBe('tend-dispatch');
    const watch = await db.query<{ state: string; watch: boolean }>(
      `SELECT j.state, (j.data ->> 'watch')::boolean AS watch
       FROM runs r JOIN pgboss.job j ON j.id = r.driver WHERE r.customer_id = 'bd-3'`,
    );
    expect(watch.rows[0]).toEqual({ state: 'created', watch: true });
    await engine.kill('SIGKILL');
    const killed = Date.now();
    engine = await spawnEngine(databaseUrl);
    const runId = await finished('bd-3');
    expect(await stepsDone(runId)).toEqual({ one: 1, two: 1 });
    // The watch job was due 15 s after the dispatch (TEND_HEARTBEAT_SECONDS + 5); then the two
    // steps, of 4 s each, and the timer between them.
    expect(Date.now() - killed).toBeLessThan(45_000);
    const handed = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'tend-step' AND data->>'run' = $1`,
      [runId],
    );
    expect(handed.rows[0]?.n).toBeGreaterThanOrEqual(1);
  });

  it('a timer job killed inside the step after it: its retry hands the run to a step job', async () => {
    if (!engine) throw new Error('no engine');
    const before = peer.calls;
    await call(engine.url, 'POST', '/api/events', { customerId: 'bd-2', type: 'borrowed.start' });
    await driverQueue('bd-2', 1, before + 1);
    expect(await driverQueue('bd-2', 2, before + 2)).toBe('tend-timer');
    await engine.kill('SIGKILL');
    engine = await spawnEngine(databaseUrl);
    const runId = await finished('bd-2');
    expect(await stepsDone(runId)).toEqual({ one: 1, two: 1 });
  });
});
