import type { JobResult, JobWithMetadata } from 'pg-boss';
import { scopeOf } from '../compiler/scope.ts';
import type { StepJob } from '../queue/queues.ts';
import type { CustomerView } from '../store/customers.ts';
import { loadForTransition, type RunRow } from '../store/runs.ts';
import { resultsFor, type StepResult } from '../store/step-results.ts';
import { applyEngineEvent } from './advance.ts';
import { commitTransitions } from './commit.ts';
import { compiledVersions, versionKey } from './definitions.ts';
import type { RuntimeDeps } from './deps.ts';
import { envFor } from './env.ts';
import { settleInbox } from './offer.ts';
import { executeStep, type StepOutcome } from './step-executor.ts';

type Outcome =
  | { kind: 'stale' }
  | { kind: 'retry'; error: unknown }
  | { kind: 'apply'; result: StepResult; fresh: boolean }
  | { kind: 'wait'; event: string; timeoutMs: number | null };

/** Is this job still the step the run is at? A stale job (the run moved on) does nothing. */
export const isCurrent = (run: RunRow | undefined, job: StepJob): run is RunRow =>
  !!run &&
  run.status === 'active' &&
  run.entry === job.entry &&
  run.phase === 'steps' &&
  run.step === job.index &&
  run.awaiting === null;

/**
 * Runs a batch of step jobs: each step at most once to completion per idempotency key, then all
 * their results, the transitions they cause and the next jobs in one transaction.
 */
export async function handleSteps(
  deps: RuntimeDeps,
  jobs: JobWithMetadata<StepJob>[],
  shutdown: AbortSignal,
): Promise<JobResult[]> {
  const runIds = [...new Set(jobs.map((j) => j.data.run))];
  const input = await loadForTransition(deps.db, runIds);
  const compiled = await compiledVersions(deps.db, [...input.runs.values()]);
  // Only a retried job can find its result recorded (its first attempt committed, then died).
  const recorded = await resultsFor(
    deps.db,
    jobs.filter((j) => j.retryCount > 0).map((j) => j.data.key),
  );
  const now = deps.now();

  const outcomes = await Promise.all(
    jobs.map(async (job): Promise<Outcome> => {
      const run = input.runs.get(job.data.run);
      if (!isCurrent(run, job.data)) return { kind: 'stale' };
      const prior = recorded.get(job.data.key);
      if (prior) return { kind: 'apply', result: prior, fresh: false };
      const wf = compiled.get(versionKey(run.workflowId, run.version));
      const step = wf?.def.states[job.data.state]?.steps?.[job.data.index];
      const loaded = deps.registry.get(job.data.uses);
      const attempt = job.retryCount + 1;
      if (!wf || !step || !loaded) {
        const error = { code: 'unknown_step', message: `${job.data.uses} is not installed`, kind: 'engine' };
        return applyOutcome(job.data, attempt, { kind: 'failed', error, retryable: false });
      }
      const env = envFor(input.customers.get(run.customerId), run, now, deps.config.defaultTimezone);
      const outcome = await executeStep(deps.db, deps.log, {
        loaded,
        step,
        scope: scopeOf(run.snapshot.context, env, null) as unknown as Record<string, unknown>,
        customer: env.customer as CustomerView,
        run: {
          id: run.id,
          workflowId: run.workflowId,
          version: run.version,
          state: job.data.state,
          key: run.key,
        },
        index: job.data.index,
        attempt,
        idempotencyKey: job.data.key,
        now,
        shutdown,
      });
      if (outcome.kind === 'failed' && outcome.retryable && attempt < loaded.retry.attempts) {
        return { kind: 'retry', error: outcome.error };
      }
      return applyOutcome(job.data, attempt, outcome);
    }),
  );

  const items = jobs.flatMap((job, i) => {
    const o = outcomes[i];
    return o && (o.kind === 'apply' || o.kind === 'wait') ? [{ job: job.data, outcome: o }] : [];
  });
  if (items.length > 0) {
    await commitTransitions(
      deps,
      runIds,
      ({ runs, customers, inboxes, compiled, uow, now }) => {
        for (const { job, outcome } of items) {
          if (outcome.kind === 'apply' && outcome.fresh) uow.result(outcome.result);
          const run = runs.get(job.run);
          if (!isCurrent(run, job)) continue;
          const wf = compiled.get(versionKey(run.workflowId, run.version));
          if (!wf) continue;
          const env = () => envFor(customers.get(run.customerId), run, now, deps.config.defaultTimezone);
          const label = wf.def.states[job.state]?.steps?.[job.index]?.id ?? job.uses;
          if (outcome.kind === 'wait') {
            run.awaiting = outcome.event;
            uow.touch(run);
            uow.note(run.id, {
              at: now,
              type: 'step.waiting',
              state: job.state,
              step: label,
              detail: { event: outcome.event },
            });
            if (outcome.timeoutMs !== null) {
              uow.timer(
                run.id,
                { run: run.id, entry: run.entry, state: job.state, purpose: 'step' },
                new Date(now.getTime() + outcome.timeoutMs),
              );
            }
            continue;
          }
          const { result } = outcome;
          const event =
            result.status === 'done'
              ? ({ type: 'tend.step.done', output: result.output ?? {} } as const)
              : ({
                  type: 'tend.step.failed',
                  error: result.error ?? { code: 'failed', message: 'failed' },
                } as const);
          const advanced = applyEngineEvent(wf, run, event, env(), deps.inline);
          advanced.history.unshift({
            at: now,
            type: result.status === 'done' ? 'step.done' : 'step.failed',
            state: job.state,
            step: label,
            detail: {
              uses: job.uses,
              attempts: result.attempts,
              ...(result.error ? { error: result.error } : {}),
            },
          });
          uow.advance(run, advanced);
          const queued = inboxes.get(run.id);
          if (queued && run.status === 'active' && run.phase !== 'steps')
            settleInbox(deps, uow, wf, run, queued, env);
        }
      },
      input,
    );
  }

  return jobs.map((job, i) => {
    const o = outcomes[i];
    return o?.kind === 'retry'
      ? { id: job.id, status: 'failed' as const, output: { error: o.error } }
      : { id: job.id, status: 'completed' as const };
  });
}

function applyOutcome(job: StepJob, attempts: number, outcome: StepOutcome): Outcome {
  if (outcome.kind === 'wait') return { kind: 'wait', event: outcome.event, timeoutMs: outcome.timeoutMs };
  const base = { key: job.key, runId: job.run, step: job.uses, attempts };
  return {
    kind: 'apply',
    fresh: true,
    result:
      outcome.kind === 'done'
        ? { ...base, status: 'done', output: outcome.output, error: null }
        : { ...base, status: 'failed', output: null, error: outcome.error },
  };
}
