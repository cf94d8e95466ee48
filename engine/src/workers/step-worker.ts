import type { Job } from 'pg-boss';
import { compiledVersions, versionKey } from '../catalog/compiled-versions.ts';
import { winnersFor } from '../catalog/experiment-winners.ts';
import { applyEngineEvent } from '../core/advance.ts';
import { envFor } from '../core/env.ts';
import type { CustomerView } from '../customers/types.ts';
import type { StepJob } from '../queue/queues.ts';
import { loadCustomers } from '../store/customers.ts';
import { holdRuns } from '../store/held-runs.ts';
import { inboxesOf, loadForTransition, type RunRow, type TransitionInput } from '../store/runs.ts';
import type { StepResult } from '../store/step-results.ts';
import { pausedAmong } from '../store/workflows.ts';
import { commitTransitions } from './commit.ts';
import { runCurrentStep } from './current-step.ts';
import type { RuntimeDeps } from './deps.ts';
import { isDriving, stepKey } from './driving.ts';
import { offer, settleInbox } from './offer.ts';
import type { StepOutcome } from './step-executor.ts';

/** A step job goes on through a run's next steps itself, within these bounds. */
const MAX_ROUNDS = 20;
const ROUND_BUDGET_MS = 10_000;

/**
 * Runs and customers as the caller just committed them (a job driving the steps its own commit
 * led to): no need to read them again. Should another writer have moved a run since, the
 * revision check of the commit notices and the batch reads afresh.
 */
export type Known = Omit<TransitionInput<CustomerView>, 'inboxes'> & {
  /**
   * Journeys the caller saw unpaused in the transaction it committed (a dispatch reads them
   * with the triggers): its runs of these need no second look before their first steps.
   */
  unpaused?: ReadonlySet<string>;
};

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
  // Runs as their driver just committed them: only their inboxes are read, while the first steps
  // run, for their commit (an event queued meanwhile moves a run's revision: the commit reads again).
  let inboxes = known ? inboxesOf(deps.db, runIds) : null;
  inboxes?.catch(() => undefined); // awaited before the commit, which sees a failure
  let input: TransitionInput<CustomerView> = known
    ? { runs: known.runs, customers: known.customers, inboxes: new Map() }
    : await loadForTransition(deps.db, runIds, (row) => deps.customers.view(row));
  // The time budget is elapsed time (performance.now), not the engine's clock, which tests hold still.
  const started = performance.now();
  for (let round = 1; ; round++) {
    const due = [...input.runs.values()].filter((run) => isDriving(run, jobOf.get(run.id) ?? ''));
    if (due.length === 0) return;
    const seenUnpaused = round === 1 && due.every((run) => known?.unpaused?.has(run.workflowId));
    if (!seenUnpaused && (await holdPaused(deps, due, jobOf))) {
      inboxes = null;
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
    if (inboxes) {
      input.inboxes = await inboxes;
      inboxes = null;
    }
    input = await commitTransitions(
      deps,
      runIds,
      ({ runs, customers, inboxes, compiled, hours, uow, now }) => {
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
          const env = () =>
            envFor(customers.get(run.customerId), run, now, deps.config.defaultTimezone, {
              experiments: winnersFor(deps.db, run.workflowId),
              hours: hours.get(run.customerId),
            });
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
