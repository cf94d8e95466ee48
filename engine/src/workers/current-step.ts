import type { JourneyInfo } from '@tend/plugin-sdk';
import { versionKey } from '../catalog/compiled-versions.ts';
import { winnersFor } from '../catalog/experiment-winners.ts';
import type { CompiledWorkflow } from '../compiler/compile.ts';
import { scopeOf } from '../compiler/scope.ts';
import { envFor } from '../core/env.ts';
import type { CustomerView } from '../customers/types.ts';
import type { StepDef, WorkflowDef } from '../definitions/types.ts';
import { inSpan } from '../observability/tracing.ts';
import type { RunRow } from '../store/runs.ts';
import type { RuntimeDeps } from './deps.ts';
import { stepKey } from './driving.ts';
import { executeStep, type StepOutcome } from './step-executor.ts';

export interface RoundResult {
  key: string;
  label: string;
  uses: string;
  outcome: StepOutcome;
  /** Set for a failure worth another attempt. */
  retryDelayMs: number | null;
}

/** Runs the step a run is at, as its driver: its outcome and, for a failure worth it, when to try again. */
export async function runCurrentStep(
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
  const env = envFor(customers.get(run.customerId), run, now, deps.config.defaultTimezone, {
    experiments: winnersFor(deps.db, run.workflowId),
  });
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
