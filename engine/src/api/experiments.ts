import { Hono } from 'hono';
import { publishedWorkflow } from '../catalog/published-workflows.ts';
import { experimentsOf } from '../definitions/experiment.ts';
import { AppError, notFound } from '../errors.ts';
import { METHOD } from '../experiments/decide.ts';
import type { Db } from '../store/db.ts';
import { listDecisions } from '../store/experiments.ts';
import { getWorkflow } from '../store/workflows.ts';
import { decideExperimentsOnce, experimentNumbers } from '../workers/experiments-refresh.ts';
import type { AppEnv } from './app-env.ts';
import { requires } from './auth.ts';

const ID = /^[a-z0-9][a-z0-9-]*$/;

/** A workflow's experiments (its published version's): numbers per arm and the decisions. */
async function experimentsBody(db: Db, id: string) {
  if (!ID.test(id) || !(await getWorkflow(db, id))) throw notFound(`workflow "${id}"`);
  const wf = await publishedWorkflow(db, id);
  if (!wf) return { workflowId: id, version: null, method: METHOD, experiments: [] };
  const decisions = await listDecisions(db, id);
  const experiments = [];
  for (const e of experimentsOf(wf.compiled.def)) {
    const { arms, verdict } = await experimentNumbers(db, id, e);
    const d = decisions.find((x) => x.experiment === e.key);
    experiments.push({
      state: e.state,
      key: e.key,
      goal: e.goal,
      windowMs: e.windowMs,
      pick: e.pick,
      holdout: e.holdout,
      arms: arms.map((a, i) => ({
        arm: i,
        label: e.arms[i]?.label ?? null,
        next: e.arms[i]?.next ?? '',
        weight: e.arms[i]?.weight ?? 0,
        entered: a.entered,
        converted: a.converted,
        open: a.open,
        rate: a.rate,
        mean: a.mean,
        low: a.low,
        high: a.high,
        pBest: a.pBest,
        holdout: a.holdout,
        followedWinner: a.followedWinner,
      })),
      now: verdict,
      decision: d
        ? {
            verdict: d.verdict,
            arm: d.arm,
            reason: d.reason,
            decidedAt: d.decidedAt.toISOString(),
            numbers: d.numbers,
          }
        : null,
    });
  }
  return { workflowId: id, version: wf.version, method: METHOD, experiments };
}

/** Experiments on splits: their numbers, and deciding now instead of at the next minute. */
export const experimentsApi = new Hono<AppEnv>()
  .get('/:id/experiments', requires('read'), async (c) =>
    c.json(await experimentsBody(c.var.services.db, c.req.param('id'))),
  )
  .post('/:id/experiments/decide', requires('workflows:publish'), async (c) => {
    const id = c.req.param('id');
    const { db } = c.var.services;
    if (!ID.test(id) || !(await getWorkflow(db, id))) throw notFound(`workflow "${id}"`);
    const pass = await decideExperimentsOnce(c.var.services.runtime, id);
    if (!pass)
      throw new AppError(409, 'conflict', 'experiments are being decided now: ask again when it is done');
    return c.json(await experimentsBody(db, id));
  });
