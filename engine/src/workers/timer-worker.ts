import type { Job } from 'pg-boss';
import { versionKey } from '../catalog/compiled-versions.ts';
import { winnersFor } from '../catalog/experiment-winners.ts';
import { applyEngineEvent } from '../core/advance.ts';
import { envFor } from '../core/env.ts';
import { jobId, startAfterSeconds } from '../queue/boss.ts';
import { QUEUES, type TimerJob } from '../queue/queues.ts';
import { driveBorrowed } from './borrowed-drivers.ts';
import { commitTransitions } from './commit.ts';
import type { RuntimeDeps } from './deps.ts';
import { isDriving, stepKey } from './driving.ts';
import { settleInbox } from './offer.ts';

/**
 * Timers whose job ran before they are due on the engine's clock (the database, which counts a
 * job's delay, runs behind the engine, or the delay was counted from a moment before the job was
 * written) wait again for the rest, as a job named after this one (so a retry adds no second).
 * Returns the timers that are due.
 */
async function postponeEarly(
  deps: RuntimeDeps,
  jobs: Pick<Job<TimerJob>, 'id' | 'data' | 'retryCount'>[],
): Promise<Pick<Job<TimerJob>, 'id' | 'data' | 'retryCount'>[]> {
  const now = deps.now();
  const early = jobs.filter((j) => j.data.dueAt !== undefined && Date.parse(j.data.dueAt) > now.getTime());
  if (early.length === 0) return jobs;
  await deps.boss.insert(
    QUEUES.timer,
    early.map((j) => ({
      id: jobId(`${j.id}:later`),
      data: j.data,
      startAfter: startAfterSeconds(new Date(j.data.dueAt as string), now),
    })),
  );
  return jobs.filter((j) => !early.includes(j));
}

/**
 * Fires due timers. A timer belongs to one state entry: if the run has moved on since it was set
 * (an event arrived first, an operator moved the run), it is stale and does nothing.
 */
export async function handleTimers(
  deps: RuntimeDeps,
  all: Pick<Job<TimerJob>, 'id' | 'data' | 'retryCount'>[],
  shutdown: AbortSignal,
): Promise<void> {
  const jobs = await postponeEarly(deps, all);
  if (jobs.length === 0) return;
  const firedAt = deps.now().getTime();
  for (const { data } of jobs) {
    if (data.dueAt) deps.metrics.timerLateness.observe((firedAt - Date.parse(data.dueAt)) / 1000);
  }
  const committed = await commitTransitions(
    deps,
    [...new Set(jobs.map((j) => j.data.run))],
    ({ runs, customers, inboxes, compiled, hours, uow, now }) => {
      for (const { id, data, retryCount } of jobs) {
        const run = runs.get(data.run);
        // An earlier attempt of this job fired the timer and was driving the steps that
        // followed when its process died: they get a step job of their own.
        if (retryCount > 0 && isDriving(run, id)) {
          uow.handOver(run, stepKey(run));
          continue;
        }
        if (run?.status !== 'active' || run.entry !== data.entry) continue;
        const wf = compiled.get(versionKey(run.workflowId, run.version));
        if (!wf) continue;
        // A first attempt runs the steps the timer leads to itself (borrowed-drivers.ts).
        if (retryCount === 0) uow.drive(run.id, id);
        const env = () =>
          envFor(customers.get(run.customerId), run, now, deps.config.defaultTimezone, {
            experiments: winnersFor(deps.db, run.workflowId),
            hours: hours.get(run.customerId),
          });
        if (data.purpose === 'step') {
          // A step that answered {status: 'wait'} and whose event never came.
          if (run.phase !== 'steps' || run.awaiting === null) continue;
          const error = { code: 'timeout', message: `no ${run.awaiting} arrived in time` };
          const advanced = applyEngineEvent(wf, run, { type: 'tend.step.failed', error }, env(), deps.inline);
          advanced.history.unshift({
            at: now,
            type: 'step.failed',
            state: run.state,
            step: null,
            detail: { error },
          });
          uow.advance(run, advanced);
          const queued = inboxes.get(run.id);
          if (queued && run.status === 'active' && run.phase !== 'steps')
            settleInbox(deps, uow, wf, run, queued, env);
          continue;
        }
        if (run.phase !== 'wait-event' && run.phase !== 'wait-delay') continue;
        const advanced = applyEngineEvent(wf, run, { type: 'tend.timer' }, env(), deps.inline);
        advanced.history.unshift({
          at: now,
          type: 'timer.fired',
          state: run.state,
          step: null,
          detail: { purpose: data.purpose },
        });
        uow.advance(run, advanced);
      }
    },
  );
  const fresh = new Set(jobs.filter((j) => j.retryCount === 0).map((j) => j.id));
  await driveBorrowed(
    deps,
    { runs: committed.runs.values(), customers: committed.customers },
    fresh,
    shutdown,
  );
}
