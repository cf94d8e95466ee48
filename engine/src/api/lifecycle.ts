import { Hono } from 'hono';
import { sql } from 'kysely';
import { recomputeLifecycle } from '../lifecycle/stages.ts';
import { sweepTimeTriggers } from '../workers/time-triggers.ts';
import type { AppEnv } from './app-env.ts';
import { requires } from './auth.ts';

/** The lifecycle rules, how many customers are in each stage, and running the clockwork now. */
export const lifecycleApi = new Hono<AppEnv>()
  // Staff see the stages (to filter their customers by), not how many the whole base has in each.
  .get('/lifecycle', requires('read', { ownCustomers: true }), async (c) => {
    const { db, lifecycle } = c.var.services;
    if (c.var.principal.scope) return c.json({ ...lifecycle, customersByStage: {} });
    const counts = await sql<{ stage: string | null; n: number }>`
      SELECT stage, count(*)::int AS n FROM customers WHERE erased_at IS NULL GROUP BY stage`.execute(db);
    return c.json({
      ...lifecycle,
      customersByStage: Object.fromEntries(counts.rows.map((r) => [r.stage ?? 'none', r.n])),
    });
  })
  .post('/lifecycle/recompute', requires('workflows:publish'), async (c) => {
    const { db, boss, customers, lifecycle, now } = c.var.services;
    // Asked for by hand: every customer's purchases counted again from the events.
    return c.json(await recomputeLifecycle(db, boss, customers, lifecycle, now(), 'every-customer'));
  })
  .post('/triggers/sweep', requires('workflows:publish'), async (c) => {
    const { runtime, now } = c.var.services;
    return c.json({ fired: await sweepTimeTriggers(runtime, now()) });
  });
