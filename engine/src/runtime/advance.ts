import type { CompiledWorkflow } from '../compiler/compile.ts';
import { collectDiagnostics } from '../compiler/diagnostics.ts';
import { EV_EXIT, FAILED_STATE } from '../compiler/names.ts';
import { phaseOf } from '../compiler/phase.ts';
import { type EventView, type RunContext, scopeOf, type TransitionEnv } from '../compiler/scope.ts';
import { evaluateCondition } from '../definitions/cel.ts';
import { dueAt } from './due.ts';
import type { InlineStepRunner } from './inline-steps.ts';
import type { Advanced, Effect, EngineEvent, HistoryEntry, PersistedSnapshot, RunPosition } from './types.ts';

/** A journey that enters this many states in one go is looping without waiting: stop it. */
const MAX_ENTRIES_PER_CALL = 1000;

type AnySnapshot = ReturnType<CompiledWorkflow['pure']['initial']>[0];

/**
 * The pure heart of the runtime, shared by production workers and `tend test`: given a run's
 * persisted state and one event, the next state plus the jobs and history it implies. No I/O
 * beyond inline (pure) steps.
 */
export function startRun(
  compiled: CompiledWorkflow,
  env: TransitionEnv,
  trigger: EventView,
  inline: InlineStepRunner,
): Advanced {
  const acc = accumulator(0, compiled.def.start);
  acc.history.push(
    record(env.now, 'run.started', null, null, { trigger: trigger.type, eventId: trigger.id ?? null }),
  );
  const [snapshot, actions, diagnostics] = collect(() => compiled.pure.initial({ env, view: trigger }));
  return drive(compiled, snapshot, actions, diagnostics, env, inline, acc);
}

/** Applies an engine event (step result, timer) to a run. */
export function applyEngineEvent(
  compiled: CompiledWorkflow,
  run: RunPosition,
  event: EngineEvent,
  env: TransitionEnv,
  inline: InlineStepRunner,
): Advanced {
  const acc = accumulator(run.entry, currentState(compiled, run));
  const snapshot = restore(compiled, run.snapshot);
  const [next, actions, diagnostics] = collect(() =>
    compiled.pure.transition(snapshot, { ...event, env } as never),
  );
  return drive(compiled, next, actions, diagnostics, env, inline, acc);
}

export type Delivery =
  | { kind: 'exited' | 'matched'; advanced: Advanced }
  | { kind: 'ignored'; reason: string }
  | { kind: 'queued' };

/**
 * Offers a customer event to a run: an exit goal ends it wherever it is; a run waiting for the
 * event moves on; a run busy with steps keeps it in its inbox; otherwise the event is ignored.
 */
export function deliverEvent(
  compiled: CompiledWorkflow,
  run: RunPosition,
  event: EventView,
  env: TransitionEnv,
  inline: InlineStepRunner,
): Delivery {
  const goal = matchingGoal(compiled, run, event, env);
  const state = currentState(compiled, run);
  if (goal) {
    const acc = accumulator(run.entry, state);
    acc.history.push(
      record(env.now, 'goal.reached', state, null, {
        event: event.type,
        eventId: event.id ?? null,
        outcome: goal,
      }),
    );
    const [next, actions, diagnostics] = collect(() =>
      compiled.pure.transition(restore(compiled, run.snapshot), {
        type: EV_EXIT,
        outcome: goal,
        env,
      } as never),
    );
    return { kind: 'exited', advanced: drive(compiled, next, actions, diagnostics, env, inline, acc) };
  }
  const snapshot = restore(compiled, run.snapshot);
  const { phase } = phaseOf(compiled, snapshot.value, snapshot.status);
  if (phase === 'steps' && run.awaiting === event.type) {
    // A step that answered {status: 'wait'} completes with the event it waited for.
    const advanced = applyEngineEvent(
      compiled,
      run,
      { type: 'tend.step.done', output: { event } },
      env,
      inline,
    );
    advanced.history.unshift(
      record(env.now, 'event.matched', state, null, {
        event: event.type,
        eventId: event.id ?? null,
        by: 'step',
      }),
    );
    return { kind: 'matched', advanced };
  }
  if (phase === 'steps') return { kind: 'queued' };
  if (phase !== 'wait-event')
    return {
      kind: 'ignored',
      reason: phase === 'end' ? 'the run has ended' : 'the run is waiting for time, not events',
    };
  const acc = accumulator(run.entry, state);
  const [next, actions, diagnostics] = collect(() =>
    compiled.pure.transition(snapshot, { type: event.type, view: event, env } as never),
  );
  if (!actions.some((a) => a.type === 'enter' || a.type === 'finish')) {
    if (!(event.type in (compiled.def.states[state]?.on ?? {}))) {
      return { kind: 'ignored', reason: `"${state}" is not waiting for ${event.type}` };
    }
    const why = diagnostics[0]
      ? `a condition could not be evaluated (${diagnostics[0].reason})`
      : 'no branch condition was true';
    return { kind: 'ignored', reason: why };
  }
  acc.history.push(
    record(env.now, 'event.matched', state, null, { event: event.type, eventId: event.id ?? null }),
  );
  return { kind: 'matched', advanced: drive(compiled, next, actions, diagnostics, env, inline, acc) };
}

/** Restores a persisted snapshot into an XState snapshot of this machine. */
export function restore(compiled: CompiledWorkflow, persisted: PersistedSnapshot): AnySnapshot {
  return compiled.machine.resolveState({ value: persisted.value as never, context: persisted.context });
}

function matchingGoal(
  compiled: CompiledWorkflow,
  run: RunPosition,
  event: EventView,
  env: TransitionEnv,
): string | null {
  for (const goal of compiled.def.exit ?? []) {
    if (goal.event !== event.type) continue;
    if (!goal.where) return goal.outcome;
    if (evaluateCondition(goal.where, scopeOf(run.snapshot.context, env, event)).result) return goal.outcome;
  }
  return null;
}

function currentState(compiled: CompiledWorkflow, run: RunPosition): string {
  return phaseOf(compiled, run.snapshot.value, 'active').state;
}

type Action = { type: string; params?: Record<string, unknown> };
type Accumulator = {
  entry: number;
  effects: Effect[];
  history: HistoryEntry[];
  transitions: number;
  state: string;
};

const accumulator = (entryCount: number, state: string): Accumulator => ({
  entry: entryCount,
  effects: [],
  history: [],
  transitions: 0,
  state,
});

function collect(fn: () => readonly [AnySnapshot, readonly Action[]]) {
  const [[snapshot, actions], diagnostics] = collectDiagnostics(fn);
  return [snapshot, actions as Action[], diagnostics] as const;
}

function drive(
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
  if (action.type === 'startTimer') {
    const wait = compiled.def.states[state]?.wait;
    if (!wait) throw new Error(`state ${state} has no wait`);
    const scope = scopeOf(snapshot.context as RunContext, env, null);
    const due = dueAt(wait, env, scope);
    if (due.problem)
      acc.history.push(record(env.now, 'condition.error', state, null, { reason: due.problem }));
    acc.effects.push({
      kind: 'timer',
      state,
      entry: acc.entry,
      dueAt: due.at,
      purpose: 'event' in wait ? 'timeout' : 'delay',
    });
    acc.history.push(record(env.now, 'timer.set', state, null, { dueAt: due.at.toISOString() }));
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
  return {
    snapshot: { value: snapshot.value, context },
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

function record(
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
