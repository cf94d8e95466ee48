import { Hono } from 'hono';
import { badRequest, notFound } from '../errors.ts';
import { historyOf } from '../store/run-history.ts';
import { getRun, listRuns } from '../store/run-list.ts';
import type { AppEnv } from './app-env.ts';
import { requires } from './auth.ts';

const STATUSES = new Set(['active', 'completed', 'failed', 'cancelled']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Runs: who is where in which journey, and how they got there. */
export const runsApi = new Hono<AppEnv>()
  .get('/', requires('read'), async (c) => {
    const q = c.req.query();
    if (q.status && !STATUSES.has(q.status))
      throw badRequest(`status must be one of ${[...STATUSES].join(', ')}`);
    const limit = q.limit === undefined ? 100 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw badRequest('limit must be a whole number from 1 to 1000');
    if (q.before && Number.isNaN(Date.parse(q.before))) throw badRequest('before must be an ISO date-time');
    const runs = await listRuns(c.var.services.db, {
      ...(q.workflow ? { workflow: q.workflow } : {}),
      ...(q.customer ? { customer: q.customer } : {}),
      ...(q.status ? { status: q.status } : {}),
      ...(q.state ? { state: q.state } : {}),
      ...(q.before ? { before: q.before } : {}),
      limit,
    });
    return c.json({
      runs: runs.map((r) => ({
        id: r.id,
        workflow: r.workflow_id,
        version: r.version,
        customerId: r.customer_id,
        key: r.key,
        status: r.status,
        state: r.state,
        phase: r.phase,
        outcome: r.outcome,
        startedAt: r.started_at,
        updatedAt: r.updated_at,
        endedAt: r.ended_at,
      })),
    });
  })
  .get('/:id', requires('read'), async (c) => {
    const id = c.req.param('id');
    if (!UUID.test(id)) throw notFound(`run "${id}"`);
    const { db } = c.var.services;
    const run = await getRun(db, id);
    if (!run) throw notFound(`run "${id}"`);
    const snapshot = run.snapshot as { context?: { vars?: unknown; steps?: unknown } };
    return c.json({
      id: run.id,
      workflow: run.workflow_id,
      version: run.version,
      customerId: run.customer_id,
      key: run.key,
      status: run.status,
      state: run.state,
      phase: run.phase,
      outcome: run.outcome,
      vars: snapshot.context?.vars ?? {},
      steps: snapshot.context?.steps ?? {},
      startedAt: run.started_at,
      endedAt: run.ended_at,
      history: await historyOf(db, id),
    });
  });
