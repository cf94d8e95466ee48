import { execFileSync } from 'node:child_process';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../engine/src/logger.ts';
import { type EmbeddedServer, startEmbeddedPostgres } from '../../engine/src/postgres/embedded.ts';
import { call, type EngineProcess, spawnEngine } from '../support/process.ts';

/** A small disk of its own (tmpfs) needs root to mount; elsewhere the test says why it skips. */
const canMount = userInfo().uid === 0;
if (!canMount) process.stderr.write('full-disk test skipped: mounting a small tmpfs needs root\n');

let mountPoint: string;
let server: EmbeddedServer;
let engine: EngineProcess | null = null;

const journey = `
id: disk
name: On a small disk
trigger: { event: disk.start }
entry: { reenter: always }
start: done
states:
  done: { end: completed }
`;

/** Writes until the volume is full: big chunks, then smaller ones down to a few kilobytes. */
async function fillUp(file: string): Promise<void> {
  const handle = await open(file, 'w');
  try {
    for (let chunk = 16 * 1024 * 1024; chunk >= 4096; chunk /= 4) {
      try {
        for (;;) await handle.write(Buffer.alloc(chunk));
      } catch (error) {
        if ((error as { code?: string }).code !== 'ENOSPC') throw error;
      }
    }
  } finally {
    await handle.close().catch(() => {});
  }
}

const events = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    customerId: `d${from + i}`,
    type: 'disk.start',
    data: { note: 'x'.repeat(2000) },
  }));

describe.runIf(canMount)('a full disk on the database volume', () => {
  beforeAll(async () => {
    mountPoint = await mkdtemp(path.join(tmpdir(), 'tend-disk-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=400m', 'tmpfs', mountPoint]);
    server = await startEmbeddedPostgres(path.join(mountPoint, 'pg'), createLogger('silent'));
  });
  afterAll(async () => {
    await engine?.kill('SIGKILL');
    await server?.stop().catch(() => {});
    execFileSync('umount', ['-l', mountPoint]);
    await rm(mountPoint, { recursive: true, force: true });
  });

  it('makes writes fail with a clear 503, without a crash loop, and recovers when space returns', async () => {
    engine = await spawnEngine(server.url);
    expect((await call(engine.url, 'POST', '/api/workflows', journey, 'application/yaml')).status).toBe(201);
    await call(engine.url, 'POST', '/api/workflows/disk/publish', { version: 1 });
    expect((await call(engine.url, 'POST', '/api/events/batch', events(0, 10))).status).toBe(202);

    // Fill the volume to the last block.
    const filler = path.join(mountPoint, 'filler');
    await fillUp(filler);
    let refused: { status: number; body: { error?: { code: string; message: string } } } | null = null;
    for (let i = 0; i < 40 && !refused; i++) {
      const r = await call(engine.url, 'POST', '/api/events/batch', events(1000 + i * 500, 500));
      if (r.status !== 202) refused = r;
    }
    expect(refused, 'a write was refused once the disk was full').not.toBeNull();
    expect(refused?.status).toBe(503);
    expect(refused?.body.error?.code).toBe('database_unavailable');
    expect(refused?.body.error?.message).toMatch(/disk is full|cannot be reached/);
    // The engine process is still there: it does not die over a database that cannot write.
    await new Promise((r) => setTimeout(r, 2000));
    expect(engine.child.exitCode).toBeNull();

    // Space returns: the same request works again.
    await rm(filler);
    const deadline = Date.now() + 60_000;
    let accepted = 0;
    while (Date.now() < deadline) {
      const r = await call(engine.url, 'POST', '/api/events/batch', events(50_000, 20)).catch(() => null);
      if (r?.status === 202) {
        accepted = r.body.accepted;
        break;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(accepted).toBe(20);
    const db = new pg.Client({ connectionString: server.url });
    await db.connect();
    try {
      const ids = events(50_000, 20).map((e) => e.customerId);
      const done = async () =>
        (
          await db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM runs WHERE status = 'completed' AND customer_id = ANY($1)`,
            [ids],
          )
        ).rows[0]?.n ?? 0;
      const until = Date.now() + 30_000;
      while ((await done()) < 20 && Date.now() < until) await new Promise((r) => setTimeout(r, 300));
      expect(await done()).toBe(20);
    } finally {
      await db.end();
    }
    expect((await fetch(`${engine.url}/ready`)).status).toBe(200);
  }, 300_000);
});
