import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/database.ts';
import { type RecordingPeer, startPeer } from '../support/peer.ts';
import { call, type EngineProcess, spawnEngine } from '../support/process.ts';

const CUSTOMERS = 200;
const KILLS = 6;

let databaseUrl: string;
let peer: RecordingPeer;
let engine: EngineProcess | null = null;

const journey = (url: string) => `
id: crash
name: Crash test journey
trigger: { event: crash.start }
start: first
states:
  first:
    steps:
      - id: one
        uses: test.record
        with: { url: "${url}", delayMs: 1000 }
      - uses: test.noop
    wait: { for: 1s }
    next: second
  second:
    steps:
      - id: two
        uses: test.record
        with: { url: "${url}", delayMs: 50 }
    choose:
      - when: 'customer.id.endsWith("7")'
        next: third
      - next: fork
  fork:
    split:
      - { weight: 1, next: third }
      - { weight: 1, next: third, label: b }
  third:
    wait: { for: 0s }
    next: last
  last:
    steps:
      - id: three
        uses: test.record
        with: { url: "${url}", delayMs: 800 }
    end: completed
`;

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  peer = await startPeer();
});
afterAll(async () => {
  await engine?.kill('SIGKILL');
  await peer?.close();
});

describe('kill -9 at random moments', () => {
  it(`loses no run and completes no step twice (${CUSTOMERS} customers, ${KILLS} kills)`, async () => {
    engine = await spawnEngine(databaseUrl);
    const saved = await call(engine.url, 'POST', '/api/workflows', journey(peer.url), 'application/yaml');
    expect(saved.status).toBe(201);
    await call(engine.url, 'POST', '/api/workflows/crash/publish', { version: 1 });
    const events = Array.from({ length: CUSTOMERS }, (_, i) => ({
      id: `start-${i}`,
      customerId: `c${i}`,
      type: 'crash.start',
    }));

    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const busy = async () =>
      (
        await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM runs WHERE status = 'active' AND phase = 'steps'`,
        )
      ).rows[0]?.n ?? 0;
    const activeAtKill: number[] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      // Customers arrive in waves between kills; each kill lands while steps are running.
      const wave = events.slice((kill * CUSTOMERS) / 4, ((kill + 1) * CUSTOMERS) / 4);
      if (wave.length > 0)
        expect((await call(engine.url, 'POST', '/api/events/batch', wave)).status).toBe(202);
      const deadline = Date.now() + 30_000;
      while ((await busy()) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, Math.random() * 600));
      activeAtKill.push(await busy());
      await engine.kill('SIGKILL');
      engine = await spawnEngine(databaseUrl);
    }
    // The kills must have hit work in progress, or they prove nothing.
    expect(
      activeAtKill.filter((n) => n > 0).length,
      `busy runs at each kill: ${activeAtKill}`,
    ).toBeGreaterThanOrEqual(KILLS - 1);

    try {
      const deadline = Date.now() + 150_000;
      let counts: Record<string, number> = {};
      for (;;) {
        const r = await db.query<{ status: string; n: number }>(
          'SELECT status, count(*)::int AS n FROM runs GROUP BY status',
        );
        counts = Object.fromEntries(r.rows.map((x) => [x.status, x.n]));
        if ((counts.completed ?? 0) === CUSTOMERS) break;
        if (Date.now() > deadline)
          throw new Error(`runs did not finish: ${JSON.stringify(counts)}\n${engine.output()}`);
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(counts).toEqual({ completed: CUSTOMERS });

      // Every step of every run completed exactly once: one result per idempotency key, one
      // step.done per step occurrence in each run's history.
      const done = await db.query<{ run_id: string; n: number }>(
        `SELECT run_id, count(*)::int AS n FROM run_history_entries WHERE type = 'step.done' AND detail->>'uses' <> 'core.set' GROUP BY run_id`,
      );
      expect(done.rows).toHaveLength(CUSTOMERS);
      for (const row of done.rows) expect(row.n).toBe(4);
      const results = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM step_results WHERE status = 'done'`,
      );
      expect(results.rows[0]?.n).toBe(CUSTOMERS * 4);
      const entered = await db.query<{ n: number }>(
        `SELECT max(c)::int AS n FROM (SELECT run_id, state, count(*) AS c FROM run_history_entries WHERE type = 'state.entered' GROUP BY run_id, state) x`,
      );
      expect(entered.rows[0]?.n).toBe(1);

      // Every effect reached the peer, under its one key; repeats carry the same key, so a
      // deduplicating provider applies each once.
      expect(peer.keys.size).toBe(CUSTOMERS * 3);
      const repeats = [...peer.keys.values()].filter((n) => n > 1).length;
      process.stdout.write(
        `crash test: busy runs at each kill ${activeAtKill.join(', ')}; ${peer.calls} peer calls for ${peer.keys.size} effects (${repeats} repeated after a kill)\n`,
      );
    } finally {
      await db.end();
    }
  }, 300_000);
});
