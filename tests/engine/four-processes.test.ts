import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/database.ts';
import { type RecordingPeer, startPeer } from '../support/peer.ts';
import { call, type EngineProcess, spawnEngine } from '../support/process.ts';

const PROCESSES = 4;
const CUSTOMERS = 400;
const KILLS = 6;

let databaseUrl: string;
let peer: RecordingPeer;
const engines: EngineProcess[] = [];

const journey = (url: string) => `
id: four
name: Four processes
trigger: { event: four.start }
start: first
states:
  first:
    steps:
      - id: one
        uses: test.record
        with: { url: "${url}", delayMs: 800 }
    wait: { for: 1s }
    next: second
  second:
    steps:
      - id: two
        uses: test.record
        with: { url: "${url}", delayMs: 200 }
    end: completed
`;

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  peer = await startPeer();
});
afterAll(async () => {
  await Promise.all(engines.map((e) => e.kill('SIGKILL')));
  await peer?.close();
});

describe(`${PROCESSES} engine processes on one database, killed at random`, () => {
  it(`lose no run and complete no step twice (${CUSTOMERS} customers, ${KILLS} kills)`, async () => {
    for (let i = 0; i < PROCESSES; i++) engines.push(await spawnEngine(databaseUrl));
    const first = engines[0] as EngineProcess;
    expect(
      (await call(first.url, 'POST', '/api/workflows', journey(peer.url), 'application/yaml')).status,
    ).toBe(201);
    await call(first.url, 'POST', '/api/workflows/four/publish', { version: 1 });
    const events = Array.from({ length: CUSTOMERS }, (_, i) => ({
      id: `four-${i}`,
      customerId: `f${i}`,
      type: 'four.start',
    }));

    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const busy = async () =>
      (
        await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM runs WHERE status = 'active' AND phase = 'steps'`,
        )
      ).rows[0]?.n ?? 0;
    try {
      const activeAtKill: number[] = [];
      for (let kill = 0; kill < KILLS; kill++) {
        // Each wave enters through a different process; each kill takes a random one down while
        // the others go on, and it comes back.
        const wave = events.slice((kill * CUSTOMERS) / KILLS, ((kill + 1) * CUSTOMERS) / KILLS);
        const through = engines[kill % PROCESSES] as EngineProcess;
        if (wave.length > 0)
          expect((await call(through.url, 'POST', '/api/events/batch', wave)).status).toBe(202);
        const deadline = Date.now() + 30_000;
        while ((await busy()) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        await new Promise((r) => setTimeout(r, Math.random() * 500));
        activeAtKill.push(await busy());
        const victim = Math.floor(Math.random() * PROCESSES);
        await (engines[victim] as EngineProcess).kill('SIGKILL');
        engines[victim] = await spawnEngine(databaseUrl);
      }
      expect(
        activeAtKill.filter((n) => n > 0).length,
        `busy runs at each kill: ${activeAtKill}`,
      ).toBeGreaterThanOrEqual(KILLS - 1);

      const deadline = Date.now() + 150_000;
      let counts: Record<string, number> = {};
      for (;;) {
        const r = await db.query<{ status: string; n: number }>(
          'SELECT status, count(*)::int AS n FROM runs GROUP BY status',
        );
        counts = Object.fromEntries(r.rows.map((x) => [x.status, x.n]));
        if ((counts.completed ?? 0) === CUSTOMERS) break;
        if (Date.now() > deadline) throw new Error(`runs did not finish: ${JSON.stringify(counts)}`);
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(counts).toEqual({ completed: CUSTOMERS });
      // One run per customer, each step done once, each state entered once.
      const done = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM step_results WHERE status = 'done'`,
      );
      expect(done.rows[0]?.n).toBe(CUSTOMERS * 2);
      const twice = await db.query(
        `SELECT run_id, state FROM run_history_entries WHERE type = 'state.entered' GROUP BY run_id, state HAVING count(*) > 1`,
      );
      expect(twice.rows).toEqual([]);
      // Every effect reached the peer under its one key; only a killed process's call in flight
      // may repeat, with the same key (a deduplicating provider applies it once).
      expect(peer.keys.size).toBe(CUSTOMERS * 2);
      const repeats = [...peer.keys.values()].filter((n) => n > 1).length;
      // The work was shared: more than one process recorded effects.
      expect(peer.pids.size).toBeGreaterThanOrEqual(2);
      process.stdout.write(
        `four processes: busy runs at each kill ${activeAtKill.join(', ')}; ${peer.calls} calls for ${peer.keys.size} effects (${repeats} repeated after a kill) from ${peer.pids.size} processes\n`,
      );
    } finally {
      await db.end();
    }
  }, 400_000);
});
