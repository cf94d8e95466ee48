import { isEventWait } from '../definitions/types.ts';
import type { CompiledWorkflow, Phase } from './compile.ts';
import { EXIT_STATE, FAILED_STATE, stepSub, WAIT_SUB } from './names.ts';

/** Where a persisted machine state rests, in the runtime's terms. */
export function phaseOf(
  compiled: CompiledWorkflow,
  value: unknown,
  status: string,
): { phase: Phase; state: string; step: number | null } {
  if (status === 'done' || typeof value === 'string') {
    return { phase: 'end', state: String(value), step: null };
  }
  const [state, sub] = Object.entries(value as Record<string, string>)[0] ?? ['', ''];
  if (sub === WAIT_SUB) {
    const wait = compiled.def.states[state]?.wait;
    return { phase: wait && isEventWait(wait) ? 'wait-event' : 'wait-delay', state, step: null };
  }
  const m = /^step(\d+)$/.exec(sub);
  if (m && sub === stepSub(Number(m[1]))) return { phase: 'steps', state, step: Number(m[1]) };
  throw new Error(`run rests in ${state}.${sub}, which is not a resting place`);
}

export const isHiddenFinal = (name: string) =>
  name === EXIT_STATE || name === FAILED_STATE || name.startsWith('__end_');
