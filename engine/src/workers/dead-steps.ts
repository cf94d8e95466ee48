import { versionKey } from '../catalog/compiled-versions.ts';
import { winnersFor } from '../catalog/experiment-winners.ts';
import { applyEngineEvent } from '../core/advance.ts';
import { envFor } from '../core/env.ts';
import { commitTransitions } from './commit.ts';
import type { RuntimeDeps } from './deps.ts';
import { isDriving } from './driving.ts';
import { settleInbox } from './offer.ts';

/**
 * Step jobs that never came back (every attempt crashed its process or outran its time budget)
 * fail the step they were at, like any other failure, so the journey can route it instead of
 * hanging.
 */
export async function handleDeadSteps(
  deps: RuntimeDeps,
  dead: { run: string; jobId: string }[],
): Promise<void> {
  const sources = new Map(dead.map((d) => [d.run, d.jobId]));
  await commitTransitions(
    deps,
    [...sources.keys()],
    ({ runs, customers, inboxes, compiled, hours, uow, now }) => {
      for (const [runId, jobId] of sources) {
        const run = runs.get(runId);
        if (!isDriving(run, jobId)) continue;
        const wf = compiled.get(versionKey(run.workflowId, run.version));
        if (!wf) continue;
        const error = {
          code: 'abandoned',
          message: 'the step never answered: every attempt crashed or timed out',
        };
        const env = () =>
          envFor(customers.get(run.customerId), run, now, deps.config.defaultTimezone, {
            experiments: winnersFor(deps.db, run.workflowId),
            hours: hours.get(run.customerId),
          });
        const state = run.state;
        const advanced = applyEngineEvent(wf, run, { type: 'tend.step.failed', error }, env(), deps.inline);
        advanced.history.unshift({ at: now, type: 'step.failed', state, step: null, detail: { error } });
        uow.advance(run, advanced);
        const queued = inboxes.get(run.id);
        if (queued && run.status === 'active' && run.phase !== 'steps')
          settleInbox(deps, uow, wf, run, queued, env);
      }
    },
  );
}
