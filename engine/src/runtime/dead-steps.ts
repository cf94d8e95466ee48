import type { Job } from 'pg-boss';
import type { StepJob } from '../queue/queues.ts';
import { loadCustomers } from '../store/customers.ts';
import { lockRuns, type RunRow } from '../store/runs.ts';
import { applyEngineEvent } from './advance.ts';
import { compiledVersions, versionKey } from './definitions.ts';
import type { RuntimeDeps } from './deps.ts';
import { envFor } from './env.ts';
import { drainInboxes, isCurrent } from './step-worker.ts';
import { UnitOfWork } from './unit-of-work.ts';

/**
 * Steps that never came back (every attempt crashed its process or outran its time budget) fail
 * in their run like any other failure, so the journey can route them instead of hanging.
 */
export async function handleDeadSteps(deps: RuntimeDeps, jobs: Job<StepJob>[]): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const locked = await lockRuns(trx, [...new Set(jobs.map((j) => j.data.run))]);
    const compiled = await compiledVersions(trx, [...locked.values()]);
    const customers = await loadCustomers(trx, [...new Set([...locked.values()].map((r) => r.customerId))]);
    const uow = new UnitOfWork(deps);
    const now = deps.now();
    const leftSteps: RunRow[] = [];
    for (const { data } of jobs) {
      const run = locked.get(data.run);
      if (!isCurrent(run, data)) continue;
      const wf = compiled.get(versionKey(run.workflowId, run.version));
      if (!wf) continue;
      const error = {
        code: 'abandoned',
        message: 'the step never answered: every attempt crashed or timed out',
      };
      uow.note(run.id, {
        at: now,
        type: 'step.failed',
        state: data.state,
        step: data.uses,
        detail: { error },
      });
      const env = envFor(customers.get(run.customerId), run, now, deps.config.defaultTimezone);
      uow.advance(run, applyEngineEvent(wf, run, { type: 'tend.step.failed', error }, env, deps.inline));
      if (run.status === 'active' && run.phase !== 'steps') leftSteps.push(run);
    }
    await drainInboxes(deps, uow, trx, leftSteps, customers, compiled, now);
    await uow.flush(trx);
  });
}
