import type { CompiledWorkflow } from '../compiler/compile.ts';
import { isEventWait } from '../definitions/types.ts';
import type { StepLookup } from './step-lookup.ts';

const waitedFor = new WeakMap<CompiledWorkflow, Set<string>>();

/** The event types some state of the workflow waits for. */
function eventsWaitedFor(wf: CompiledWorkflow): Set<string> {
  let types = waitedFor.get(wf);
  if (!types) {
    types = new Set();
    for (const state of Object.values(wf.def.states)) {
      if (state.wait && isEventWait(state.wait))
        for (const type of [state.wait.event].flat()) types.add(type);
      for (const type of Object.keys(state.on ?? {})) if (type !== 'timeout') types.add(type);
    }
    waitedFor.set(wf, types);
  }
  return types;
}

/**
 * Whether a run busy with steps keeps this event in its inbox: when a later state could wait for
 * it, or the step running may answer `{status: 'wait'}` for it. Any other event would only be
 * ignored once the run got there, so it is ignored now, without touching the run (a touch makes
 * the step job that drives the run commit again).
 */
export function keepsEvent(
  wf: CompiledWorkflow,
  run: { state: string; step: number | null },
  type: string,
  registry: StepLookup,
): boolean {
  if (eventsWaitedFor(wf).has(type)) return true;
  const uses = wf.def.states[run.state]?.steps?.[run.step ?? -1]?.uses;
  const awaits = uses ? registry.get(uses)?.def.awaits : undefined;
  return awaits === undefined || awaits.includes(type);
}
