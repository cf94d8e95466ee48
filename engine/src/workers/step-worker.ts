import type { JourneyInfo } from '@tend/plugin-sdk';
import type { Job } from 'pg-boss';
import { compiledVersions, versionKey } from '../catalog/compiled-versions.ts';
import type { CompiledWorkflow } from '../compiler/compile.ts';
import { scopeOf } from '../compiler/scope.ts';
import { applyEngineEvent } from '../core/advance.ts';
import { envFor } from '../core/env.ts';
import type { CustomerView } from '../customers/types.ts';
import type { StepDef, WorkflowDef } from '../definitions/types.ts';
import { inSpan } from '../observability/tracing.ts';
import type { StepJob } from '../queue/queues.ts';
import { loadCustomers } from '../store/customers.ts';
import { holdRuns } from '../store/held-runs.ts';
import { inboxesOf, loadForTransition, type RunRow, type TransitionInput } from '../store/runs.ts';
import type { StepResult } from '../store/step-results.ts';
import { pausedAmong } from '../store/workflows.ts';
import { commitTransitions } from './commit.ts';
import type { RuntimeDeps } from './deps.ts';
import { offer, settleInbox } from './offer.ts';
import { executeStep, type StepOutcome } from './step-executor.ts';

/** A step job goes on through a run's next steps itself, within these bounds. */
const MAX_ROUNDS = 20;
const ROUND_BUDGET_MS = 10_000;

/**
 * Runs and customers as the caller just committed them (a job driving the steps its own commit
 * led to): no need to read them again. Should another writer have moved a run since, the
 * revision check of the commit notices and the batch reads afresh.
 */
export type Known = Omit<TransitionInput<CustomerView>, 'inboxes'>;

/** The run's steps are this job's to run: it is the run's driver and a step is due. */
export const isDriving = (run: RunRow | undefined, jobId: string): run is RunRow =>
  !!run &&
  run.status === 'active' &&
  run.phase === 'steps' &&
  run.driver === jobId &&
  run.awaiting === null &&
  run.step !== null;

/** The idempotency key of the step a run is at: run + state entry + step. */
export const stepKey = (run: RunRow) => `${run.id}:${run.entry}:${run.step}`;

/**
 * Runs a batch of step jobs. Each job drives one run: it runs the run's current step, commits the
 * result and the transition it causes (with the revision check of commitTransitions), and when
 * the run's next step is another job step, runs that one too, in the same batch, instead of a
 * queue round trip. A crash leaves the job active; its retry finds the run where the last commit
 * left it and goes on from there, so no committed step runs again.
 */
export async function handleSteps(
  deps: RuntimeDeps,
  jobs: Pick<Job<StepJob>, 'id' | 'data'>[],
  shutdown: AbortSignal,
  budgetMs = ROUND_BUDGET_MS,
  known?: Known,
): Promise<void> {
  const jobOf = new Map<string, string>();
  for (const job of jobs) if (!jobOf.has(job.data.run)) jobOf.set(job.data.run, job.id);
  const runIds = [...jobOf.keys()];
  let input: TransitionInput<CustomerView> = known
    ? { runs: known.runs, customers: known.customers, inboxes: await inboxesOf(deps.db, runIds) }
    : await loadForTransition(deps.db, runIds, (row) => deps.customers.view(row));
  // The time budget is elapsed time (performance.now), not the engine's clock, which tests hold still.
  const started = performance.now();
  for (let round = 1; ; round++) {
    const due = [...input.runs.values()].filter((run) => isDriving(run, jobOf.get(run.id) ?? ''));
    if (due.length === 0) return;
    if (await holdPaused(deps, due, jobOf)) {
      input = await loadForTransition(deps.db, runIds, (row) => deps.customers.view(row));
      continue;
    }
    const compiled = await compiledVersions(deps.db, due);
    const now = deps.now();
    const results = await Promise.all(
      due.map((run) => runCurrentStep(deps, run, input.customers, compiled, now, shutdown)),
    );
    // Steps may have changed their customers (tags, attributes, points): the conditions and
    // templates that follow must see the change, so those customers are read again.
    const changed = deps.customerChanges.take(new Set(due.map((run) => run.customerId)));
    if (changed.length > 0) {
      for (const [id, row] of await loadCustomers(deps.db, changed))
        input.customers.set(id, deps.customers.view(row));
    }
    const last = round >= MAX_ROUNDS || performance.now() - started > budgetMs || shutdown.aborted;
    input = await commitTransitions(
      deps,
      runIds,
      ({ runs, customers, inboxes, compiled, uow, now }) => {
        for (const { key, label, uses, outcome, retryDelayMs } of results) {
          const runId = key.slice(0, key.indexOf(':'));
          const run = runs.get(runId);
          const jobId = jobOf.get(runId) ?? '';
          // Re-check on the committed state: an exit goal may have ended the run meanwhile.
          if (!isDriving(run, jobId) || stepKey(run) !== key) continue;
          const wf = compiled.get(versionKey(run.workflowId, run.version));
          if (!wf) continue;
          if (!last) uow.drive(run.id, jobId);
          const state = run.state;
          const env = () => envFor(customers.get(run.customerId), run, now, deps.config.defaultTimezone);
          if (outcome.kind === 'failed' && retryDelayMs !== null) {
            uow.retry(run, key, retryDelayMs);
            uow.note(run.id, {
              at: now,
              type: 'step.retry',
              state,
              step: label,
              detail: { uses, attempt: run.attempt, error: outcome.error, inMs: retryDelayMs },
            });
            continue;
          }
          if (outcome.kind === 'defer') {
            uow.defer(run, key, outcome.until);
            uow.note(run.id, {
              at: now,
              type: 'step.deferred',
              state,
              step: label,
              detail: { uses, until: outcome.until.toISOString(), reason: outcome.reason },
            });
            continue;
          }
          if (outcome.kind === 'wait') {
            run.awaiting = outcome.event;
            run.driver = null;
            uow.touch(run);
            uow.note(run.id, {
              at: now,
              type: 'step.waiting',
              state,
              step: label,
              detail: { event: outcome.event },
            });
            // The answer may have come while the step ran: then it waits in the inbox.
            const queued = inboxes.get(run.id) ?? [];
            const early = queued.find((e) => e.type === outcome.event);
            if (early) {
              uow.unqueue(run.id, early.seq);
              offer(deps, uow, wf, run, early, env());
              if (run.status === 'active' && run.phase !== 'steps')
                settleInbox(
                  deps,
                  uow,
                  wf,
                  run,
                  queued.filter((e) => e !== early),
                  env,
                );
              continue;
            }
            if (outcome.timeoutMs !== null) {
              uow.timer(
                run.id,
                { run: run.id, entry: run.entry, state, purpose: 'step' },
                new Date(now.getTime() + outcome.timeoutMs),
              );
            }
            continue;
          }
          const attempts = run.attempt + 1;
          uow.result(toResult(key, run.id, uses, attempts, outcome));
          const event =
            outcome.kind === 'done'
              ? ({ type: 'tend.step.done', output: outcome.output } as const)
              : ({ type: 'tend.step.failed', error: outcome.error } as const);
          const advanced = applyEngineEvent(wf, run, event, env(), deps.inline);
          advanced.history.unshift({
            at: now,
            type: outcome.kind === 'done' ? 'step.done' : 'step.failed',
            state,
            step: label,
            detail: { uses, attempts, ...(outcome.kind === 'failed' ? { error: outcome.error } : {}) },
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
}

/**
 * A paused journey holds its customers before their next step: the runs lose their driver (and
 * wait for the resume to give them a new one). Returns whether any run was due in a paused one.
 */
async function holdPaused(deps: RuntimeDeps, due: RunRow[], jobOf: Map<string, string>): Promise<boolean> {
  const paused = await pausedAmong(deps.db, [...new Set(due.map((r) => r.workflowId))], false);
  if (paused.size === 0) return false;
  await deps.db.transaction().execute(async (trx) => {
    const still = await pausedAmong(trx, [...paused], true);
    const runs = due
      .filter((r) => still.has(r.workflowId))
      .map((r) => ({ id: r.id, driver: jobOf.get(r.id) ?? '', rev: r.rev }));
    const held = await holdRuns(trx, runs, deps.now());
    if (held.length > 0) deps.log.info(`held ${held.length} run(s) of paused journeys`);
  });
  return true;
}

interface RoundResult {
  key: string;
  label: string;
  uses: string;
  outcome: StepOutcome;
  /** Set for a failure worth another attempt. */
  retryDelayMs: number | null;
}

async function runCurrentStep(
  deps: RuntimeDeps,
  run: RunRow,
  customers: Map<string, CustomerView>,
  compiled: Map<string, CompiledWorkflow>,
  now: Date,
  shutdown: AbortSignal,
): Promise<RoundResult> {
  const key = stepKey(run);
  const wf = compiled.get(versionKey(run.workflowId, run.version));
  const step: StepDef | undefined = wf?.def.states[run.state]?.steps?.[run.step ?? -1];
  const loaded = step ? deps.registry.get(step.uses) : undefined;
  const uses = step?.uses ?? '?';
  const label = step?.id ?? uses;
  if (!wf || !step || !loaded) {
    const error = { code: 'unknown_step', message: `${uses} is not installed`, kind: 'engine' };
    return { key, label, uses, outcome: { kind: 'failed', error, retryable: false }, retryDelayMs: null };
  }
  const env = envFor(customers.get(run.customerId), run, now, deps.config.defaultTimezone);
  const attempt = run.attempt + 1;
  const timer = deps.metrics.stepDuration.startTimer({ plugin: loaded.plugin.name, step: uses });
  const attributes = { 'tend.run': run.id, 'tend.workflow': run.workflowId, 'tend.step': uses };
  const outcome = await inSpan(`step ${uses}`, attributes, () =>
    executeStep(deps.db, deps.log, {
      loaded,
      step,
      scope: scopeOf(run.snapshot.context, env, null) as unknown as Record<string, unknown>,
      customer: env.customer as CustomerView,
      run: {
        id: run.id,
        workflowId: run.workflowId,
        version: run.version,
        state: run.state,
        key: run.key,
        vars: run.snapshot.context.vars,
        steps: run.snapshot.context.steps,
      },
      event: run.snapshot.context.lastEvent,
      journey: journeyOf(wf.def, run.version),
      index: run.step ?? 0,
      attempt,
      idempotencyKey: key,
      now,
      shutdown,
      services: deps.plugins.context(loaded.plugin.name),
    }),
  );
  timer({ outcome: outcome.kind });
  if (outcome.kind === 'failed') {
    deps.log
      .bind({ run: run.id, customer: run.customerId, workflow: run.workflowId })
      .warn(`${uses} failed: ${outcome.error.code}`, { attempt, retryable: outcome.retryable });
  }
  const retry = outcome.kind === 'failed' && outcome.retryable && attempt < loaded.retry.attempts;
  return {
    key,
    label,
    uses,
    outcome,
    retryDelayMs: retry ? backoff(loaded.retry.backoffSeconds, attempt) : null,
  };
}

/** What a step learns of its journey. */
export function journeyOf(def: WorkflowDef, version: number): JourneyInfo {
  return { id: def.id, version, name: def.name, limits: def.limits ?? {} };
}

/** Exponential backoff with jitter, capped at an hour. */
function backoff(baseSeconds: number, attempt: number): number {
  const ms = baseSeconds * 1000 * 2 ** (attempt - 1) * (1 + Math.random() / 4);
  return Math.min(ms, 3_600_000);
}

function toResult(
  key: string,
  runId: string,
  uses: string,
  attempts: number,
  outcome: StepOutcome,
): StepResult {
  const base = { key, runId, step: uses, attempts };
  return outcome.kind === 'done'
    ? { ...base, status: 'done', output: outcome.output, error: null }
    : { ...base, status: 'failed', output: null, error: outcome.kind === 'failed' ? outcome.error : null };
}
