import type { Job } from 'pg-boss';
import type { CustomerView } from '../customers/types.ts';
import type { StepJob } from '../queue/queues.ts';
import { type RunRow, runsDrivenBy } from '../store/runs.ts';
import { commitTransitions } from './commit.ts';
import type { RuntimeDeps } from './deps.ts';
import { isDriving, stepKey } from './driving.ts';
import { handleSteps } from './step-worker.ts';

/*
 * A dispatch or timer job that moves runs into steps runs those steps itself, right after its
 * commit, instead of queueing a step job per run: one queue round trip less per run, and the
 * first step starts milliseconds after the event. The job stays active (heartbeat) while it
 * drives, so a crash makes pg-boss retry it; the retry hands the runs to step jobs of their own,
 * which carry the crash allowance and the dead-letter path of DESIGN §4.
 */

/** Borrowed drivers go on for this long, then leave the rest of the steps to step jobs. */
const BORROWED_BUDGET_MS = 1000;

/**
 * Runs the steps of the runs these jobs' commit left in their charge (and of no others), from
 * the runs and customers as committed.
 */
export async function driveBorrowed(
  deps: RuntimeDeps,
  committed: { runs: Iterable<RunRow>; customers: Map<string, CustomerView>; unpaused?: ReadonlySet<string> },
  jobIds: Set<string>,
  shutdown: AbortSignal,
): Promise<void> {
  const jobs: Pick<Job<StepJob>, 'id' | 'data'>[] = [];
  const runs = new Map<string, RunRow>();
  for (const run of committed.runs) {
    if (run.driver && jobIds.has(run.driver) && isDriving(run, run.driver) && !runs.has(run.id)) {
      jobs.push({ id: run.driver, data: { run: run.id } });
      runs.set(run.id, run);
    }
  }
  if (jobs.length > 0)
    await handleSteps(deps, jobs, shutdown, BORROWED_BUDGET_MS, {
      runs,
      customers: committed.customers,
      ...(committed.unpaused ? { unpaused: committed.unpaused } : {}),
    });
}

/** A retried job: the runs an earlier attempt of it was driving get step jobs of their own. */
export async function handOver(deps: RuntimeDeps, runIds: string[], jobIds: Set<string>): Promise<void> {
  if (runIds.length === 0) return;
  await commitTransitions(deps, runIds, ({ runs, uow }) => {
    for (const run of runs.values()) {
      if (run.driver && jobIds.has(run.driver) && isDriving(run, run.driver)) uow.handOver(run, stepKey(run));
    }
  });
}

/** The dispatch form: the runs are found by their customers. */
export async function handOverDispatched(
  deps: RuntimeDeps,
  jobs: { id: string; data: { customers: string[] } }[],
): Promise<void> {
  const ids = new Set(jobs.map((j) => j.id));
  const runs = await runsDrivenBy(deps.db, [...new Set(jobs.flatMap((j) => j.data.customers))], [...ids]);
  await handOver(deps, runs, ids);
}
