import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/database.ts';
import { type RecordingPeer, startPeer } from '../support/peer.ts';
import { type Bouncer, pgbouncerAvailable, startPgBouncer } from '../support/pgbouncer.ts';
import { call, type EngineProcess, spawnEngine } from '../support/process.ts';

const CUSTOMERS = 120;
const KILLS = 3;
const required = process.env.TEND_REQUIRE_PGBOUNCER === '1';

if (!pgbouncerAvailable() && !required) {
  process.stderr.write(
    'pgbouncer is not installed: the PgBouncer test is skipped (apt-get install pgbouncer)\n',
  );
}

let databaseUrl: string;
let bouncer: Bouncer;
let peer: RecordingPeer;
let engine: EngineProcess | null = null;

const journey = (url: string) => `
id: pooled
name: Behind PgBouncer
trigger: { event: pooled.start }
start: first
states:
  first:
    steps:
      - id: one
        uses: test.record
        with: { url: "${url}", delayMs: 300 }
    wait: { for: 1s }
    next: second
  second:
    steps:
      - id: two
        uses: test.record
        with: { url: "${url}", delayMs: 100 }
    end: completed
`;

describe.runIf(pgbouncerAvailable() || required)('the engine behind PgBouncer in transaction mode', () => {
  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    bouncer = await startPgBouncer(databaseUrl);
    peer = await startPeer();
  });
  afterAll(async () => {
    await engine?.kill('SIGKILL');
    await peer?.close();
    await bouncer?.stop();
  });

  const start = () => spawnEngine(bouncer.url, { TEND_PREPARED_STATEMENTS: 'false' });

  it(`loses no run and completes no step twice through kill -9 (${CUSTOMERS} customers, ${KILLS} kills)`, async () => {
    engine = await start();
    expect(
      (await call(engine.url, 'POST', '/api/workflows', journey(peer.url), 'application/yaml')).status,
    ).toBe(201);
    await call(engine.url, 'POST', '/api/workflows/pooled/publish', { version: 1 });
    const events = Array.from({ length: CUSTOMERS }, (_, i) => ({
      id: `p-${i}`,
      customerId: `p${i}`,
      type: 'pooled.start',
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
      for (let kill = 0; kill < KILLS; kill++) {
        const wave = events.slice((kill * CUSTOMERS) / KILLS, ((kill + 1) * CUSTOMERS) / KILLS);
        expect((await call(engine.url, 'POST', '/api/events/batch', wave)).status).toBe(202);
        const deadline = Date.now() + 30_000;
        while ((await busy()) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        await new Promise((r) => setTimeout(r, Math.random() * 400));
        await engine.kill('SIGKILL');
        engine = await start();
      }
      const deadline = Date.now() + 150_000;
      for (;;) {
        const r = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM runs WHERE status = 'completed'`,
        );
        if (r.rows[0]?.n === CUSTOMERS) break;
        if (Date.now() > deadline) throw new Error(`only ${r.rows[0]?.n} runs completed\n${engine.output()}`);
        await new Promise((r) => setTimeout(r, 500));
      }
      const done = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM step_results WHERE status = 'done'`,
      );
      expect(done.rows[0]?.n).toBe(CUSTOMERS * 2);
      const twice = await db.query(
        `SELECT run_id, state FROM run_history_entries WHERE type = 'state.entered' GROUP BY run_id, state HAVING count(*) > 1`,
      );
      expect(twice.rows).toEqual([]);
      expect(peer.keys.size).toBe(CUSTOMERS * 2);
      const repeats = [...peer.keys.values()].filter((n) => n > 1).length;
      process.stdout.write(
        `pgbouncer: ${peer.calls} calls for ${peer.keys.size} effects (${repeats} repeated after a kill, same key)\n`,
      );
    } finally {
      await db.end();
    }
  }, 300_000);
});
