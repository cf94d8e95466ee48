import type { CompiledWorkflow } from '../compiler/compile.ts';
import { collectDiagnostics } from '../compiler/diagnostics.ts';
import { EXPERIMENT_ASSIGNED, type SplitExperiment, splitArm } from '../compiler/experiment-route.ts';
import { FAILED_STATE } from '../compiler/names.ts';
import { phaseOf } from '../compiler/phase.ts';
import { type RunContext, scopeOf, type TransitionEnv } from '../compiler/scope.ts';
import { dueAt } from './due.ts';
import type { InlineStepRunner } from './inline-steps.ts';
import type { Advanced, Effect, EngineEvent, HistoryEntry, PersistedSnapshot, RunPosition } from './types.ts';

/*
 * The machinery under the pure runtime (advance.ts, deliver.ts): running a macrostep through a
 * compiled machine, turning its actions into effects and history, and settling where it rests.
 */

/** A journey that enters this many states in one go is looping without waiting: stop it. */
const MAX_ENTRIES_PER_CALL = 1000;

export type AnySnapshot = ReturnType<CompiledWorkflow['pure']['initial']>[0];

/**
 * The XState snapshot each persisted snapshot was settled from, while the persisted one lives.
 * A run's next transition in the same job (its next step, say) starts from it instead of
 * resolving the state again: resolving walks the machine's state nodes and allocates a good part
 * of a transition's garbage.
 */
const settled = new WeakMap<PersistedSnapshot, { compiled: CompiledWorkflow; snapshot: AnySnapshot }>();

/** Restores a persisted snapshot into an XState snapshot of this machine. */
export function restore(compiled: CompiledWorkflow, persisted: PersistedSnapshot): AnySnapshot {
  const known = settled.get(persisted);
  if (known?.compiled === compiled) return known.snapshot;
  return compiled.machine.resolveState({ value: persisted.value as never, context: persisted.context });
}

export type Action = { type: string; params?: Record<string, unknown> };
export type Accumulator = {
  entry: number;
  effects: Effect[];
  history: HistoryEntry[];
  transitions: number;
  state: string;
};

export const accumulator = (entryCount: number, state: string): Accumulator => ({
  entry: entryCount,
  effects: [],
  history: [],
  transitions: 0,
  state,
});

export function collect(fn: () => readonly [AnySnapshot, readonly Action[]]) {
  const [[snapshot, actions], diagnostics] = collectDiagnostics(fn);
  return [snapshot, actions as Action[], diagnostics] as const;
}

export function drive(
  compiled: CompiledWorkflow,
  first: AnySnapshot,
  firstActions: Action[],
  firstDiagnostics: { expression: string; reason: string }[],
  env: TransitionEnv,
  inline: InlineStepRunner,
  acc: Accumulator,
): Advanced {
  let snapshot = first;
  let actions = firstActions;
  let diagnostics = firstDiagnostics;
  for (;;) {
    for (const d of diagnostics) {
      acc.history.push(
        record(env.now, 'condition.error', acc.state, null, { expression: d.expression, reason: d.reason }),
      );
    }
    let followUp: EngineEvent | null = null;
    for (const action of actions)
      followUp = perform(compiled, snapshot, action, env, inline, acc) ?? followUp;
    if (!followUp) break;
    const event = followUp;
    [snapshot, actions, diagnostics] = collect(() =>
      compiled.pure.transition(snapshot, { ...event, env } as never),
    );
  }
  return settle(compiled, snapshot, env, acc);
}

function perform(
  compiled: CompiledWorkflow,
  snapshot: AnySnapshot,
  action: Action,
  env: TransitionEnv,
  inline: InlineStepRunner,
  acc: Accumulator,
): EngineEvent | null {
  const params = action.params ?? {};
  if (action.type === 'enter') {
    acc.entry += 1;
    acc.transitions += 1;
    acc.state = String(params.state);
    acc.history.push(record(env.now, 'state.entered', acc.state, null, null));
    if (acc.transitions > MAX_ENTRIES_PER_CALL) {
      throw new LoopError(`entered ${MAX_ENTRIES_PER_CALL} states without waiting; last "${acc.state}"`);
    }
    return null;
  }
  const state = String(params.state);
  if (action.type === 'runStep') {
    const index = Number(params.index);
    const step = compiled.def.states[state]?.steps?.[index];
    if (!step) throw new Error(`no step ${index} in state ${state}`);
    const key = `${env.run.id}:${acc.entry}:${index}`;
    const label = step.id ?? step.uses;
    if (!inline.isInline(step.uses)) {
      acc.effects.push({ kind: 'step', state, index, entry: acc.entry, key, uses: step.uses });
      return null;
    }
    const scope = scopeOf(snapshot.context as RunContext, env, null) as unknown as Record<string, unknown>;
    const result = inline.run(step, scope, env, { state, index, key });
    if (result.ok) {
      acc.history.push(
        record(env.now, 'step.done', state, label, { uses: step.uses, output: result.output }),
      );
      return { type: 'tend.step.done', output: result.output };
    }
    acc.history.push(record(env.now, 'step.failed', state, label, { uses: step.uses, error: result.error }));
    return { type: 'tend.step.failed', error: result.error };
  }
  if (action.type === 'assigned') {
    const { arm, experiment } = params as { arm: number; experiment: SplitExperiment };
    const weights = (compiled.def.states[state]?.split ?? []).map((b) => b.weight);
    const { route } = splitArm(env.customer.id, state, weights, experiment, env.experiments);
    acc.history.push(
      record(env.now, EXPERIMENT_ASSIGNED, state, null, { experiment: experiment.key, arm, route }),
    );
    return null;
  }
  if (action.type === 'startTimer') {
    const wait = compiled.def.states[state]?.wait;
    if (!wait) throw new Error(`state ${state} has no wait`);
    const scope = scopeOf(snapshot.context as RunContext, env, null);
    const due = dueAt(wait, env, scope, compiled.def.limits);
    if (due.problem)
      acc.history.push(record(env.now, 'condition.error', state, null, { reason: due.problem }));
    acc.effects.push({
      kind: 'timer',
      state,
      entry: acc.entry,
      dueAt: due.at,
      purpose: 'event' in wait ? 'timeout' : 'delay',
    });
    const best = due.best ? { bestTime: { hour: due.best.hour, basis: due.best.basis, zone: env.zone } } : {};
    acc.history.push(record(env.now, 'timer.set', state, null, { dueAt: due.at.toISOString(), ...best }));
  }
  return null;
}

function settle(
  compiled: CompiledWorkflow,
  snapshot: AnySnapshot,
  env: TransitionEnv,
  acc: Accumulator,
): Advanced {
  const context = snapshot.context as RunContext;
  const done = snapshot.status === 'done';
  const where = phaseOf(compiled, snapshot.value, snapshot.status);
  const failed = done && snapshot.value === FAILED_STATE;
  // A finished run keeps the name of the last state it entered (the hidden final states are
  // compiler detail).
  const state = done ? acc.state : where.state;
  if (done) {
    acc.history.push(
      record(env.now, failed ? 'run.failed' : 'run.ended', state, null, {
        outcome: context.outcome,
        ...(context.error ? { error: context.error } : {}),
      }),
    );
  }
  const persisted: PersistedSnapshot = { value: snapshot.value, context };
  if (!done) settled.set(persisted, { compiled, snapshot });
  return {
    snapshot: persisted,
    entry: acc.entry,
    state,
    phase: where.phase,
    step: where.step,
    status: done ? (failed ? 'failed' : 'completed') : 'active',
    outcome: done ? context.outcome : null,
    effects: acc.effects,
    history: acc.history,
    transitions: acc.transitions,
  };
}

export function record(
  at: Date,
  type: string,
  state: string | null,
  step: string | null,
  detail: Record<string, unknown> | null,
): HistoryEntry {
  return { at, type, state, step, detail };
}

/** A journey that keeps moving without ever waiting. */
export class LoopError extends Error {
  override name = 'LoopError';
}

/** The user state a persisted run rests in. */
export function currentState(compiled: CompiledWorkflow, run: RunPosition): string {
  return phaseOf(compiled, run.snapshot.value, 'active').state;
}
