import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/database.ts';
import { type RecordingPeer, startPeer } from '../support/peer.ts';
import { call, type EngineProcess, spawnEngine } from '../support/process.ts';

const RUNS = 1000;
let databaseUrl: string;
let peer: RecordingPeer;
const engines: EngineProcess[] = [];

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  peer = await startPeer();
});
afterAll(async () => {
  await Promise.all(engines.map((e) => e.kill('SIGTERM')));
  await peer?.close();
});

describe('two engine processes on one database', () => {
  it(`share ${RUNS} runs with no step run twice`, async () => {
    engines.push(await spawnEngine(databaseUrl), await spawnEngine(databaseUrl));
    const [a, b] = engines as [EngineProcess, EngineProcess];
    const yaml = `
id: shared
name: Shared work
trigger: { event: shared.start }
start: one
states:
  one:
    steps:
      - id: first
        uses: test.record
        with: { url: "${peer.url}" }
    wait: { for: 0s }
    next: two
  two:
    steps:
      - id: second
        uses: test.record
        with: { url: "${peer.url}" }
    end: completed
`;
    expect((await call(a.url, 'POST', '/api/workflows', yaml, 'application/yaml')).status).toBe(201);
    await call(a.url, 'POST', '/api/workflows/shared/publish', { version: 1 });
    const events = Array.from({ length: RUNS }, (_, i) => ({ customerId: `s${i}`, type: 'shared.start' }));
    // Events arrive through both processes.
    await call(a.url, 'POST', '/api/events/batch', events.slice(0, RUNS / 2));
    await call(b.url, 'POST', '/api/events/batch', events.slice(RUNS / 2));

    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const deadline = Date.now() + 120_000;
      for (;;) {
        const r = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM runs WHERE status = 'completed'`,
        );
        if (r.rows[0]?.n === RUNS) break;
        if (Date.now() > deadline) throw new Error(`only ${r.rows[0]?.n} runs completed`);
        await new Promise((r) => setTimeout(r, 300));
      }
      // No crashes here, so no step may have run twice: the peer saw each key exactly once.
      expect(peer.keys.size).toBe(RUNS * 2);
      expect(peer.calls).toBe(RUNS * 2);
      expect([...peer.keys.values()].every((n) => n === 1)).toBe(true);
      const dup = await db.query(
        `SELECT run_id, state FROM run_history_entries WHERE type = 'step.done' GROUP BY run_id, state, step HAVING count(*) > 1`,
      );
      expect(dup.rows).toEqual([]);
      // Both processes did part of the work.
      expect(peer.pids.size).toBe(2);
      for (const n of peer.pids.values()) expect(n).toBeGreaterThan(RUNS / 10);
    } finally {
      await db.end();
    }
  }, 200_000);
});
