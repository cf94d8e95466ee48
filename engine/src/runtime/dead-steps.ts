import type { Job } from 'pg-boss';
import type { StepJob } from '../queue/queues.ts';
import { applyEngineEvent } from './advance.ts';
import { commitTransitions } from './commit.ts';
import { versionKey } from './definitions.ts';
import type { RuntimeDeps } from './deps.ts';
import { envFor } from './env.ts';
import { settleInbox } from './offer.ts';
import { isCurrent } from './step-worker.ts';

/**
 * Steps that never came back (every attempt crashed its process or outran its time budget) fail
 * in their run like any other failure, so the journey can route them instead of hanging.
 */
export async function handleDeadSteps(deps: RuntimeDeps, jobs: Job<StepJob>[]): Promise<void> {
  await commitTransitions(
    deps,
    [...new Set(jobs.map((j) => j.data.run))],
    ({ runs, customers, inboxes, compiled, uow, now }) => {
      for (const { data } of jobs) {
        const run = runs.get(data.run);
        if (!isCurrent(run, data)) continue;
        const wf = compiled.get(versionKey(run.workflowId, run.version));
        if (!wf) continue;
        const error = {
          code: 'abandoned',
          message: 'the step never answered: every attempt crashed or timed out',
        };
        const env = () => envFor(customers.get(run.customerId), run, now, deps.config.defaultTimezone);
        const advanced = applyEngineEvent(wf, run, { type: 'tend.step.failed', error }, env(), deps.inline);
        advanced.history.unshift({
          at: now,
          type: 'step.failed',
          state: data.state,
          step: data.uses,
          detail: { error },
        });
        uow.advance(run, advanced);
        const queued = inboxes.get(run.id);
        if (queued && run.status === 'active' && run.phase !== 'steps')
          settleInbox(deps, uow, wf, run, queued, env);
      }
    },
  );
}
