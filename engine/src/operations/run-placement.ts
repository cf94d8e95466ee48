import type { CompiledWorkflow } from '../compiler/compile.ts';
import { stepSub, WAIT_SUB } from '../compiler/names.ts';
import { isEventWait, type StateDef } from '../definitions/types.ts';
import type { RunRow } from '../store/runs.ts';

/** Where a moved run goes: a state, the sub-state inside it, and whether it waits there. */
export type Place = { state: string; sub: string; wait: boolean };

/** Where in `target` a run goes, keeping its position in its state; or why it cannot. */
export function placeIn(
  run: RunRow,
  from: CompiledWorkflow,
  to: CompiledWorkflow,
  target: string,
): Place | { reason: string } {
  const old: StateDef | undefined = from.def.states[run.state];
  const next: StateDef | undefined = to.def.states[target];
  if (!old || !next) return { reason: `state "${run.state}" is unknown` };
  if (run.phase === 'wait-event' || run.phase === 'wait-delay') {
    const wantEvent = run.phase === 'wait-event';
    if (!next.wait || isEventWait(next.wait) !== wantEvent)
      return { reason: `waits for ${wantEvent ? 'an event' : 'a time'}, and "${target}" does not` };
    return { state: target, sub: WAIT_SUB, wait: true };
  }
  if (run.phase === 'steps' && run.step !== null) {
    const step = old.steps?.[run.step];
    const there = next.steps?.[run.step];
    if (!step || !there || there.uses !== step.uses)
      return {
        reason: `is at step ${run.step + 1} (${step?.uses ?? '?'}), which "${target}" does not have there`,
      };
    return { state: target, sub: stepSub(run.step), wait: false };
  }
  return { reason: `rests in ${run.phase}` };
}
