import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/database.ts';
import { type RecordingPeer, startPeer } from '../support/peer.ts';
import { call, type EngineProcess, spawnEngine } from '../support/process.ts';

/*
 * A bulk enrollment gives the runs it starts one shared steps job per hundred, instead of a
 * step job each. These tests run such a job to the end, and kill the engine while one is inside
 * its runs' first step: the retry must hand each run to a step job of its own, and every step
 * must complete once.
 */

const CUSTOMERS = 250;
let databaseUrl: string;
let peer: RecordingPeer;
let engine: EngineProcess | null = null;
let db: pg.Client;

const journey = (id: string, url: string, delayMs: number) => `
id: ${id}
name: Everyone, once
trigger:
  schedule: { cron: "*/5 * * * * *", tz: UTC }
entry: { reenter: never }
start: first
states:
  first:
    steps:
      - id: one
        uses: test.record
        with: { url: "${url}", delayMs: ${delayMs} }
    end: completed
`;

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  peer = await startPeer();
  db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  engine = await spawnEngine(databaseUrl, { TEND_SWEEP_MS: '500' });
  const customers = Array.from({ length: CUSTOMERS }, (_, i) => ({ id: `sh-${i}` }));
  expect((await call(engine.url, 'POST', '/api/customers/batch', customers)).status).toBe(200);
});
afterAll(async () => {
  await engine?.kill('SIGKILL');
  await db?.end();
  await peer?.close();
});

async function publish(id: string, delayMs: number) {
  if (!engine) throw new Error('no engine');
  await call(engine.url, 'POST', '/api/workflows', journey(id, peer.url, delayMs), 'application/yaml');
  await call(engine.url, 'POST', `/api/workflows/${id}/publish`, { version: 1 });
}

async function allCompleted(workflow: string) {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const r = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM runs WHERE workflow_id = $1 AND status = 'completed'`,
      [workflow],
    );
    if (r.rows[0]?.n === CUSTOMERS) return;
    if (Date.now() > deadline) throw new Error(`${workflow}: ${r.rows[0]?.n} completed\n${engine?.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** How many times each run of the journey completed its step, as counts of counts. */
async function completions(workflow: string): Promise<Record<string, number>> {
  const r = await db.query<{ times: number; runs: number }>(
    `SELECT times, count(*)::int AS runs FROM (
       SELECT r.id, count(h.run_id)::int AS times FROM runs r
       LEFT JOIN run_history_entries h ON h.run_id = r.id AND h.type = 'step.done'
       WHERE r.workflow_id = $1 GROUP BY r.id) t GROUP BY times`,
    [workflow],
  );
  return Object.fromEntries(r.rows.map((x) => [String(x.times), x.runs]));
}

const jobsOf = async (queue: string) =>
  (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1`, [queue]))
    .rows[0]?.n;

describe('shared steps jobs of a bulk enrollment', () => {
  it('drive a hundred runs each through their first step', async () => {
    const before = { shared: await jobsOf('tend-steps'), step: await jobsOf('tend-step') };
    await publish('shared-quick', 0);
    await allCompleted('shared-quick');
    expect(await completions('shared-quick')).toEqual({ 1: CUSTOMERS });
    // 250 runs in pages of 100 (the batch size): three jobs, and no step job of their own.
    expect(((await jobsOf('tend-steps')) ?? 0) - (before.shared ?? 0)).toBe(3);
    expect(await jobsOf('tend-step')).toBe(before.step);
  });

  it('killed inside the first step: the retry hands each run to a step job; each step completes once', async () => {
    if (!engine) throw new Error('no engine');
    const calls = peer.calls;
    await publish('shared-killed', 3000);
    // Inside the step: the peer has calls of this journey, none answered yet.
    const deadline = Date.now() + 30_000;
    while (peer.calls - calls < 10 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await engine.kill('SIGKILL');
    engine = await spawnEngine(databaseUrl, { TEND_SWEEP_MS: '500' });
    await allCompleted('shared-killed');
    expect(await completions('shared-killed')).toEqual({ 1: CUSTOMERS });
    const handed = await db.query<{ n: number }>(
      `SELECT count(DISTINCT j.data->>'run')::int AS n FROM pgboss.job j
       JOIN runs r ON r.id::text = j.data->>'run' WHERE j.name = 'tend-step' AND r.workflow_id = 'shared-killed'`,
    );
    expect(handed.rows[0]?.n).toBeGreaterThanOrEqual(1);
  });
});
