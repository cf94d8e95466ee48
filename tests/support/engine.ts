import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { type Clock, systemClock } from '../../engine/src/clock.ts';
import { type Config, loadConfig } from '../../engine/src/config.ts';
import { createLogger } from '../../engine/src/logger.ts';
import { type Running, startTend } from '../../engine/src/server/start.ts';
import { createTestDatabase } from './database.ts';

export const ADMIN_KEY = 'test-admin-key-0123456789';
/** TEND_OUTBOUND_ALLOW of test engines: their providers are local peers. */
export const LOOPBACK_ALLOWED = '127.0.0.0/8,::1,localhost';
/** A fixed key for personal data in tests (a real key, just not a secret). */
export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');
export const TEST_PLUGIN = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'fixtures',
  'plugins',
  'test-steps.ts',
);

/** The example plugin (plugins/example), installed only by the tests that ask for it. */
export const EXAMPLE_PLUGIN = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'plugins',
  'example',
  'src',
  'index.ts',
);

/**
 * `TEND_CLOCK_OFFSET=+3y npx vitest run tests/…` runs every engine a test starts (in this process,
 * or spawned: they inherit the environment) as if it were another date. Tests that need "now" as
 * the engine sees it (not the machine's `Date.now()`) read it here, or from `engine.services.now()`.
 */
const CLOCK_OFFSET = process.env.TEND_CLOCK_OFFSET ?? '';
export const engineClock: Clock = systemClock(loadConfig({ TEND_CLOCK_OFFSET: CLOCK_OFFSET }).clockOffsetMs);

export interface TestEngine extends Running {
  config: Config;
  /** fetch against the engine with the admin key (or another). */
  api(
    method: string,
    route: string,
    body?: unknown,
    init?: { key?: string | null; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any }>;
}

/** A real engine (HTTP + workers + pg-boss) on its own fresh database. */
export async function startTestEngine(
  env: Record<string, string> = {},
  options: { workers?: boolean; clock?: TestClock; now?: () => Date } = {},
): Promise<TestEngine> {
  const databaseUrl = env.DATABASE_URL ?? (await createTestDatabase());
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    PORT: '0',
    TEND_API_KEY: ADMIN_KEY,
    TEND_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    TEND_PLUGINS: TEST_PLUGIN,
    TEND_LOG_LEVEL: 'warn',
    TEND_WORKERS: options.workers === false ? 'false' : 'true',
    // The tests' HTTP peers listen on this machine, which real installations must not send to.
    TEND_OUTBOUND_ALLOW: LOOPBACK_ALLOWED,
    TEND_CLOCK_OFFSET: CLOCK_OFFSET,
    ...env,
  });
  const clock = options.clock;
  const now = options.now ?? (clock ? () => clock.now() : undefined);
  const running = await startTend(config, {
    log: createLogger(config.logLevel),
    ...(now ? { now } : {}),
  });
  return {
    ...running,
    config,
    async api(method, route, body, init = {}) {
      const key = init.key === undefined ? ADMIN_KEY : init.key;
      const headers: Record<string, string> = {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...init.headers,
      };
      let payload: string | undefined;
      if (typeof body === 'string') payload = body;
      else if (body !== undefined) {
        payload = JSON.stringify(body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(`${running.url}${route}`, {
        method,
        headers,
        ...(payload === undefined ? {} : { body: payload }),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {}
      return { status: res.status, body: parsed };
    },
  };
}

/** Polls until `check` returns a value (not undefined/false) or the time is up. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
  stepMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/**
 * Time passes for the engine's queued jobs: after a test moves the engine's clock forward, jobs
 * still waiting (deferred steps, timers) are made due now, as they would be had real time passed.
 * Each checks the engine's clock when it runs, so one that is still early waits again.
 */
export async function wakeWaitingJobs(engine: TestEngine): Promise<void> {
  await sql`UPDATE pgboss.job SET start_after = now() WHERE state = 'created' AND start_after > now()`.execute(
    engine.services.db,
  );
}

/** A clock tests move by hand: the engine's `now` (pg-boss timers still run on real time). */
export class TestClock {
  #at: number;
  constructor(iso: string) {
    this.#at = Date.parse(iso);
  }
  now(): Date {
    return new Date(this.#at);
  }
  set(iso: string): void {
    this.#at = Date.parse(iso);
  }
  advance(ms: number): void {
    this.#at += ms;
  }
}
