import type { Job } from 'pg-boss';
import type { TimerJob } from '../queue/queues.ts';
import { loadCustomers } from '../store/customers.ts';
import { lockRuns, type RunRow } from '../store/runs.ts';
import { applyEngineEvent } from './advance.ts';
import { compiledVersions, versionKey } from './definitions.ts';
import type { RuntimeDeps } from './deps.ts';
import { envFor } from './env.ts';
import { drainInboxes } from './step-worker.ts';
import { UnitOfWork } from './unit-of-work.ts';

/**
 * Fires due timers. A timer belongs to one state entry: if the run has moved on since it was set
 * (an event arrived first, an operator moved the run), it is stale and does nothing.
 */
export async function handleTimers(deps: RuntimeDeps, jobs: Job<TimerJob>[]): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const locked = await lockRuns(trx, [...new Set(jobs.map((j) => j.data.run))]);
    const compiled = await compiledVersions(trx, [...locked.values()]);
    const customers = await loadCustomers(trx, [...new Set([...locked.values()].map((r) => r.customerId))]);
    const uow = new UnitOfWork(deps);
    const now = deps.now();
    const leftSteps: RunRow[] = [];
    for (const { data } of jobs) {
      const run = locked.get(data.run);
      if (run?.status !== 'active' || run.entry !== data.entry) continue;
      const wf = compiled.get(versionKey(run.workflowId, run.version));
      if (!wf) continue;
      const env = envFor(customers.get(run.customerId), run, now, deps.config.defaultTimezone);
      if (data.purpose === 'step') {
        if (run.phase !== 'steps' || run.awaiting === null) continue;
        const waited = run.awaiting;
        uow.note(run.id, {
          at: now,
          type: 'step.failed',
          state: run.state,
          step: null,
          detail: { error: { code: 'timeout', message: `no ${waited} arrived in time` } },
        });
        uow.advance(
          run,
          applyEngineEvent(
            wf,
            run,
            { type: 'tend.step.failed', error: { code: 'timeout', message: `no ${waited} arrived in time` } },
            env,
            deps.inline,
          ),
        );
        if (run.status === 'active' && run.phase !== 'steps') leftSteps.push(run);
        continue;
      }
      if (run.phase !== 'wait-event' && run.phase !== 'wait-delay') continue;
      uow.note(run.id, {
        at: now,
        type: 'timer.fired',
        state: run.state,
        step: null,
        detail: { purpose: data.purpose },
      });
      uow.advance(run, applyEngineEvent(wf, run, { type: 'tend.timer' }, env, deps.inline));
    }
    await drainInboxes(deps, uow, trx, leftSteps, customers, compiled, now);
    await uow.flush(trx);
  });
}
