import { evaluateCondition } from '@tend/plugin-sdk/cel';
import { refreshWinners } from '../catalog/experiment-winners.ts';
import { type PublishedWorkflow, publishedWorkflows } from '../catalog/published-workflows.ts';
import { type Experiment, experimentsOf } from '../definitions/experiment.ts';
import { assess, METHOD } from '../experiments/decide.ts';
import { whileHolding } from '../store/advisory-lock.ts';
import type { Db } from '../store/db.ts';
import {
  armCounts,
  eventsBetween,
  listDecisions,
  type OpenAssignment,
  openAssignments,
  recordDecision,
  runEndings,
  settleAssignments,
} from '../store/experiments.ts';
import type { RuntimeDeps } from './deps.ts';
import { every } from './every.ts';

const LOCK = 'tend-experiments';
/** Assignments settled per query. */
const PAGE = 2000;
/** How often each process reads the decisions again (new entrants follow a winner this soon). */
const WINNERS_EVERY_MS = 5_000;
/** How often the process holding the lock settles conversions and decides. */
const DECIDE_EVERY_MS = 60_000;

type Deps = Pick<RuntimeDeps, 'db' | 'now'>;

/** What a pass did, per experiment. */
export interface ExperimentPass {
  settled: number;
  decided: { workflowId: string; experiment: string; verdict: string }[];
}

/**
 * Settles the conversions of every published experiment (a run converts when the goal event
 * happens within the window after it took its arm, or when it ends with the goal outcome
 * within it; it did not once the window closed without), then decides those not decided yet
 * by the stated method (experiments/decide.ts) on the entrants that were split at random
 * (before a winner, and the holdout after). A decision is made once and kept with its numbers.
 */
export async function decideExperiments(deps: Deps, workflowId?: string): Promise<ExperimentPass> {
  const now = deps.now();
  const pass: ExperimentPass = { settled: 0, decided: [] };
  const decided = new Set(
    (await listDecisions(deps.db, workflowId)).map((d) => `${d.workflowId}/${d.experiment}`),
  );
  for (const wf of await publishedWorkflows(deps.db)) {
    if (workflowId !== undefined && wf.workflowId !== workflowId) continue;
    for (const e of experimentsOf(wf.compiled.def)) {
      pass.settled += await settle(deps.db, wf, e, now);
      if (decided.has(`${wf.workflowId}/${e.key}`)) continue;
      const verdict = await decideOne(deps.db, wf, e, now);
      if (verdict) pass.decided.push({ workflowId: wf.workflowId, experiment: e.key, verdict });
    }
  }
  await refreshWinners(deps.db);
  return pass;
}

/** The numbers of an experiment's arms from the entrants split at random. */
export async function experimentNumbers(db: Db, workflowId: string, e: Experiment) {
  const counts = await armCounts(db, workflowId, e.key);
  const arms = e.arms.map((_, arm) => {
    const mine = counts.filter((c) => c.arm === arm);
    const random = mine.filter((c) => c.route !== 'winner');
    return {
      entered: random.reduce((n, c) => n + c.settled, 0),
      converted: random.reduce((n, c) => n + c.converted, 0),
      open: random.reduce((n, c) => n + c.open, 0),
      followedWinner: mine.filter((c) => c.route === 'winner').reduce((n, c) => n + c.settled + c.open, 0),
      holdout: mine.filter((c) => c.route === 'holdout').reduce((n, c) => n + c.settled + c.open, 0),
    };
  });
  const assessed = assess(arms);
  return {
    arms: arms.map((a, i) => ({
      ...a,
      ...assessed.arms[i],
      rate: a.entered > 0 ? a.converted / a.entered : null,
    })),
    verdict: assessed.verdict,
  };
}

async function decideOne(db: Db, wf: PublishedWorkflow, e: Experiment, now: Date): Promise<string | null> {
  const { arms, verdict } = await experimentNumbers(db, wf.workflowId, e);
  if (verdict.kind === 'undecided') return null;
  await recordDecision(db, {
    workflowId: wf.workflowId,
    experiment: e.key,
    state: e.state,
    verdict: verdict.kind,
    arm: verdict.kind === 'winner' ? verdict.arm : null,
    reason: verdict.reason,
    method: { ...METHOD },
    numbers: arms.map((a, i) => ({
      arm: i,
      label: e.arms[i]?.label ?? null,
      next: e.arms[i]?.next ?? null,
      entered: a.entered,
      converted: a.converted,
      low: a.low,
      high: a.high,
      pBest: a.pBest,
    })),
    decidedAt: now,
  });
  return verdict.kind;
}

async function settle(db: Db, wf: PublishedWorkflow, e: Experiment, now: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const open = await openAssignments(db, wf.workflowId, e.key, PAGE);
    if (open.length === 0) return total;
    const converted = await conversions(db, e, open);
    const settled = open.flatMap((a) => {
      const at = converted.get(a.runId) ?? null;
      const closed = a.enteredAt.getTime() + e.windowMs <= now.getTime();
      return at || closed ? [{ customerId: a.customerId, runId: a.runId, convertedAt: at }] : [];
    });
    await settleAssignments(db, e.key, settled);
    total += settled.length;
    // The rest of the page is still open; later pages entered later, so their windows are too.
    if (open.length < PAGE || settled.length === 0) return total;
  }
}

/** When each of these runs converted, by run id (only those that did). */
async function conversions(db: Db, e: Experiment, open: OpenAssignment[]): Promise<Map<string, Date>> {
  const out = new Map<string, Date>();
  const end = (a: OpenAssignment) => a.enteredAt.getTime() + e.windowMs;
  if (e.goal.outcome !== undefined) {
    const endings = await runEndings(
      db,
      open.map((a) => a.runId),
    );
    for (const a of open) {
      const ended = endings.get(a.runId);
      if (ended?.outcome === e.goal.outcome && ended.endedAt && ended.endedAt.getTime() < end(a))
        out.set(a.runId, ended.endedAt);
    }
    return out;
  }
  if (e.goal.event === undefined) return out;
  const from = new Date(Math.min(...open.map((a) => a.enteredAt.getTime())));
  const to = new Date(Math.max(...open.map(end)));
  const customers = [...new Set(open.map((a) => a.customerId))];
  const events = await eventsBetween(db, customers, e.goal.event, from, to);
  for (const a of open) {
    const hit = events.find(
      (ev) =>
        ev.customerId === a.customerId &&
        ev.occurredAt >= a.enteredAt &&
        ev.occurredAt.getTime() < end(a) &&
        (e.goal.where === undefined ||
          evaluateCondition(e.goal.where, {
            customer: { id: a.customerId },
            event: { id: ev.id, type: e.goal.event, data: ev.data, occurredAt: ev.occurredAt.toISOString() },
            run: { id: a.runId },
            now: ev.occurredAt,
          }).result),
    );
    if (hit) out.set(a.runId, hit.occurredAt);
  }
  return out;
}

/**
 * Decides experiments unless another process is doing it (advisory lock): the pass, or null
 * when the lock was taken.
 */
export async function decideExperimentsOnce(deps: Deps, workflowId?: string): Promise<ExperimentPass | null> {
  return whileHolding(deps.db, LOCK, () => decideExperiments(deps, workflowId));
}

/**
 * Every process reads the winners every few seconds; once a minute, the one holding the lock
 * settles conversions and decides.
 */
export function startExperiments(deps: RuntimeDeps): { stop(): Promise<void> } {
  const failed = (error: unknown) => deps.log.warn('experiments: a pass failed', { error });
  const winners = every(WINNERS_EVERY_MS, () => refreshWinners(deps.db), failed);
  const decider = every(
    DECIDE_EVERY_MS,
    async () => {
      const pass = await decideExperimentsOnce(deps);
      for (const d of pass?.decided ?? [])
        deps.log.info(`experiment ${d.workflowId}/${d.experiment}: ${d.verdict}`);
    },
    failed,
  );
  return {
    async stop() {
      await winners.stop();
      await decider.stop();
    },
  };
}
