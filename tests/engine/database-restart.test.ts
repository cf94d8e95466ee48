import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../engine/src/logger.ts';
import { type EmbeddedServer, startEmbeddedPostgres } from '../../engine/src/postgres/embedded.ts';
import { type RecordingPeer, startPeer } from '../support/peer.ts';
import { call, type EngineProcess, spawnEngine } from '../support/process.ts';

const CUSTOMERS = 200;
let dir: string;
let server: EmbeddedServer;
let peer: RecordingPeer;
let engine: EngineProcess | null = null;

beforeAll(async () => {
  // A PostgreSQL of this test's own: the one the other tests share must not restart under them.
  dir = await mkdtemp(path.join(tmpdir(), 'tend-restart-'));
  server = await startEmbeddedPostgres(dir, createLogger('warn'));
  peer = await startPeer();
});
afterAll(async () => {
  await engine?.kill('SIGKILL');
  await peer?.close();
  await server?.stop().catch(() => {});
  await rm(dir, { recursive: true, force: true });
});

/** What `pg_ctl restart -m immediate` does: SIGQUIT to the postmaster (no checkpoint), then start. */
async function restartImmediately(): Promise<void> {
  const pid = Number((await readFile(path.join(server.dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  process.kill(pid, 'SIGQUIT');
  for (let i = 0; i < 200; i++) {
    try {
      process.kill(pid, 0);
      await new Promise((r) => setTimeout(r, 50));
    } catch {
      break;
    }
  }
  server = await startEmbeddedPostgres(dir, createLogger('warn'));
}

const journey = (url: string) => `
id: restart
name: Through a database restart
trigger: { event: restart.start }
start: first
states:
  first:
    steps:
      - id: one
        uses: test.record
        with: { url: "${url}", delayMs: 200 }
    wait: { for: 1s }
    next: second
  second:
    steps:
      - id: two
        uses: test.record
        with: { url: "${url}", delayMs: 100 }
    end: completed
`;

describe('the embedded PostgreSQL', () => {
  it('is reached through its Unix socket by the engine, and over TCP by tools', async () => {
    const clientAddress = async (url: string) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query<{ a: string | null }>('SELECT inet_client_addr()::text AS a')).rows[0]?.a;
      } finally {
        await client.end();
      }
    };
    expect(server.socketUrl).toContain('?host=');
    // A Unix-socket client has no network address.
    expect(await clientAddress(server.socketUrl)).toBeNull();
    expect(await clientAddress(server.url)).toBe('127.0.0.1/32');
  });
});

describe('PostgreSQL restarted under load (immediate shutdown)', () => {
  it('the engine is ready again within 30 s, and no run or step is lost or doubled', async () => {
    // Through the socket, as `tend start` connects to its embedded server.
    engine = await spawnEngine(server.socketUrl);
    expect(
      (await call(engine.url, 'POST', '/api/workflows', journey(peer.url), 'application/yaml')).status,
    ).toBe(201);
    await call(engine.url, 'POST', '/api/workflows/restart/publish', { version: 1 });
    const events = Array.from({ length: CUSTOMERS }, (_, i) => ({
      id: `r-${i}`,
      customerId: `r${i}`,
      type: 'restart.start',
    }));
    expect((await call(engine.url, 'POST', '/api/events/batch', events.slice(0, 100))).status).toBe(202);
    // Restart while steps are running.
    const probe = new pg.Client({ connectionString: server.url });
    await probe.connect();
    let busy = 0;
    for (let i = 0; i < 200 && busy === 0; i++) {
      const r = await probe.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM runs WHERE status = 'active' AND phase = 'steps'`,
      );
      busy = r.rows[0]?.n ?? 0;
      if (busy === 0) await new Promise((r) => setTimeout(r, 25));
    }
    await probe.end();
    expect(busy, 'runs at a step when the database went down').toBeGreaterThan(0);
    await restartImmediately();
    const restarted = Date.now();
    let ready = false;
    while (!ready && Date.now() - restarted < 30_000) {
      ready = await fetch(`${engine.url}/ready`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (!ready) await new Promise((r) => setTimeout(r, 200));
    }
    expect(ready, `not ready 30 s after the restart:\n${engine.output()}`).toBe(true);
    const readyAfterMs = Date.now() - restarted;
    expect(engine.child.exitCode, 'the engine process kept running').toBeNull();
    expect((await call(engine.url, 'POST', '/api/events/batch', events.slice(100))).status).toBe(202);

    const db = new pg.Client({ connectionString: server.url });
    await db.connect();
    try {
      const deadline = Date.now() + 150_000;
      for (;;) {
        const r = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM runs WHERE status = 'completed'`,
        );
        if (r.rows[0]?.n === CUSTOMERS) break;
        if (Date.now() > deadline) throw new Error(`only ${r.rows[0]?.n} runs completed\n${engine.output()}`);
        await new Promise((r) => setTimeout(r, 500));
      }
      const runs = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM runs');
      expect(runs.rows[0]?.n).toBe(CUSTOMERS);
      const done = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM step_results WHERE status = 'done'`,
      );
      expect(done.rows[0]?.n).toBe(CUSTOMERS * 2);
      expect(peer.keys.size).toBe(CUSTOMERS * 2);
      const repeats = [...peer.keys.values()].filter((n) => n > 1).length;
      process.stdout.write(
        `database restart: ${busy} runs at a step when it went down; ready again after ${readyAfterMs} ms; ${peer.calls} calls for ${peer.keys.size} effects (${repeats} repeated with the same key)\n`,
      );
    } finally {
      await db.end();
    }
  }, 300_000);
});
