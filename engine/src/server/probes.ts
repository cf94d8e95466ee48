import { Hono } from 'hono';
import { sql } from 'kysely';
import type { AppEnv } from '../api/app-env.ts';
import { sameSecret } from '../api/auth.ts';
import { pendingMigrations } from '../store/migrate.ts';

/** How long a readiness check may take before it counts as failed. */
const CHECK_MS = 2000;

/**
 * What load balancers and Prometheus ask: `/health` (the process answers), `/ready` (it can do its
 * work: database reachable, schema up to date, workers running where they should) and `/metrics`.
 */
export const probesApi = new Hono<AppEnv>()
  .get('/health', (c) => c.json({ status: 'ok' as const }))
  .get('/ready', async (c) => {
    const { db, config } = c.var.services;
    const checks: Record<string, string> = {};
    try {
      await within(sql`SELECT 1`.execute(db), CHECK_MS);
      checks.database = 'ok';
      const pending = await within(pendingMigrations(db), CHECK_MS);
      checks.migrations = pending.length === 0 ? 'ok' : `pending: ${pending.join(', ')}`;
    } catch (error) {
      checks.database = `unreachable: ${(error as Error).message}`;
    }
    checks.workers = !config.workers
      ? 'off (TEND_WORKERS=false)'
      : c.var.services.workersRunning()
        ? 'ok'
        : 'stopped';
    const ready =
      checks.database === 'ok' && checks.migrations === 'ok' && !checks.workers.startsWith('stopped');
    return c.json({ status: ready ? ('ready' as const) : ('not_ready' as const), checks }, ready ? 200 : 503);
  })
  .get('/metrics', async (c) => {
    const { config, runtime } = c.var.services;
    if (
      config.metricsToken &&
      !sameSecret(c.req.header('authorization') ?? '', `Bearer ${config.metricsToken}`)
    ) {
      return c.json(
        { error: { code: 'unauthorized', message: 'send TEND_METRICS_TOKEN as a bearer token' } },
        401,
      );
    }
    const { registry } = runtime.metrics;
    return c.body(await registry.metrics(), 200, { 'content-type': registry.contentType });
  });

async function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
