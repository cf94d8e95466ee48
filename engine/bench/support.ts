import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENGINE_NODE_FLAGS } from '../../scripts/engine-node-flags.mjs';
import { type Clock, systemClock } from '../src/clock.ts';
import { loadConfig } from '../src/config.ts';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BENCH_KEY = 'bench-admin-key-0123456789';
/**
 * The engines' clock (they inherit TEND_CLOCK_OFFSET): what the harness seeds for them, or
 * compares with times they record, comes from it.
 */
export const engineClock: Clock = systemClock(loadConfig().clockOffsetMs);

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      server.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** Starts the engine as its own process (so its memory can be measured alone). */
export async function spawnEngine(databaseUrl: string, env: Record<string, string> = {}) {
  const port = await freePort();
  // `TEND_BENCH_PROFILE=<dir>`: a CPU profile of the engine process, for finding hot spots.
  const profile = process.env.TEND_BENCH_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.TEND_BENCH_PROFILE}`]
    : [];
  const child = spawn(
    process.execPath,
    [...ENGINE_NODE_FLAGS, ...profile, path.join(root, 'engine/bin/tend.mjs'), 'start'],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        TEND_API_KEY: BENCH_KEY,
        TEND_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
        TEND_PLUGINS: path.join(root, 'engine/bench/bench-plugin.ts'),
        TEND_WORKFLOWS_DIR: path.join(root, 'engine/bench/no-workflows'),
        TEND_LOG_LEVEL: process.env.TEND_BENCH_LOG_LEVEL ?? 'warn',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (
      await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (i > 600 || child.exitCode !== null) throw new Error('the engine did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid as number,
    /** Stops the engine; at once when it has stopped already. */
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Current and peak resident memory of a process, in MiB (Linux /proc). */
export async function memoryOf(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

export async function api(
  url: string,
  method: string,
  route: string,
  body?: unknown,
  contentType = 'application/json',
) {
  const res = await fetch(`${url}${route}`, {
    method,
    headers: { authorization: `Bearer ${BENCH_KEY}`, 'content-type': contentType },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  if (res.status >= 300) throw new Error(`${method} ${route}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<any>;
}

let lastLine = 0;

/** A one-line progress indicator on stderr (redrawn on a terminal, every few seconds otherwise). */
export function progress(label: string, done: number, total: number, extra = ''): void {
  const tty = process.stderr.isTTY;
  if (!tty && done < total && Date.now() - lastLine < 3000) return;
  lastLine = Date.now();
  const width = 30;
  const filled = Math.min(width, Math.max(0, Math.round((done / Math.max(total, 1)) * width)));
  const line = `  ${label.padEnd(28)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${extra}`;
  if (tty) process.stderr.write(`\r${line}   ${done >= total ? '\n' : ''}`);
  else process.stderr.write(`${line}\n`);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/**
 * Writes every dirty page to disk before a measurement, so it does not run while the kernel is
 * still writing back what the previous phase wrote. Needs superuser or `pg_checkpoint` on a
 * DATABASE_URL server; without either the measurement goes on, unsettled, and says so.
 */
export async function checkpoint(db: { query(sql: string): Promise<unknown> }): Promise<void> {
  try {
    await db.query('CHECKPOINT');
  } catch (error) {
    process.stderr.write(`  (no CHECKPOINT before this measurement: ${(error as Error).message})\n`);
  }
}
