import type { CompiledWorkflow } from '../compiler/compile.ts';
import type { EventView, TransitionEnv } from '../compiler/scope.ts';
import { accumulator, collect, currentState, drive, record, restore } from './drive.ts';
import type { InlineStepRunner } from './inline-steps.ts';
import type { Advanced, EngineEvent, RunPosition } from './types.ts';

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
  // What the run keeps of its trigger: the event as journeys see it (no storage details).
  const view: EventView = {
    type: trigger.type,
    data: trigger.data,
    occurredAt: trigger.occurredAt,
    ...(trigger.id ? { id: trigger.id } : {}),
  };
  const [snapshot, actions, diagnostics] = collect(() => compiled.pure.initial({ env, view }));
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
