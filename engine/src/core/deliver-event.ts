import { evaluateCondition } from '@tend/plugin-sdk/cel';
import type { CompiledWorkflow } from '../compiler/compile.ts';
import { EV_EXIT } from '../compiler/names.ts';
import { phaseOf } from '../compiler/phase.ts';
import { type EventView, scopeOf, type TransitionEnv } from '../compiler/scope.ts';
import { applyEngineEvent } from './advance.ts';
import { accumulator, collect, currentState, drive, record, restore } from './drive.ts';
import type { InlineStepRunner } from './inline-steps.ts';
import type { Advanced, RunPosition } from './types.ts';

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
