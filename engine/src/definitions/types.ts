import type { TriggerDef } from '../triggers/types.ts';
/** Workflow YAML v1 (DESIGN §3), as the engine sees it after validation. */
export interface WorkflowDef {
  id: string;
  name: string;
  description?: string;
  stage?: string;
  trigger: TriggerDef;
  entry?: { reenter?: string };
  exit?: ExitGoal[];
  limits?: {
    quietHours?: { from: string; to: string };
    frequencyCap?: { messages: number; per: string };
  };
  start: string;
  states: Record<string, StateDef>;
}

export { TRIGGER_KINDS, type TriggerDef, type TriggerKind } from '../triggers/types.ts';

export interface ExitGoal {
  event: string;
  where?: string;
  outcome: string;
}

export interface StateDef {
  description?: string;
  steps?: StepDef[];
  next?: string;
  choose?: Branch[];
  split?: SplitBranch[];
  /** Makes the split an experiment that may pick a winner (definitions/experiment.ts). */
  experiment?: ExperimentDef;
  end?: string;
  wait?: WaitDef;
  on?: Record<string, string | Branch[]>;
}

export type OnError = 'fail' | 'continue' | { next: string };

export interface StepDef {
  id?: string;
  name?: string;
  uses: string;
  with?: Record<string, unknown>;
  onError?: OnError;
}

export interface Branch {
  when?: string;
  next: string;
  label?: string;
}

export interface SplitBranch {
  weight: number;
  next: string;
  label?: string;
}

/** A split as an experiment: what counts as converting, within how long, and what to do. */
export interface ExperimentDef {
  /** A customer event (optionally with `where`), or the outcome the run ends with. */
  goal: { event?: string; where?: string; outcome?: string };
  /** How long after entering an arm the goal counts. */
  window: string;
  /** `auto`: send new entrants down the winner once there is one; `off`: only measure. */
  pick?: 'auto' | 'off';
  /** Entrants who keep being split as written after a winner is picked: "10%" or 10. */
  holdout?: string | number;
}

import type { Weekday } from '@tend/plugin-sdk/time';

export type { Weekday };

export type EventWait = { event: string | string[]; timeout?: string; where?: string };
export type DelayWait = { for: string };
export type UntilWait = { until: string };
export type LocalTimeWait = { at: string; weekdays?: Weekday[] };
/** `bestTime: within 24h`: the hour this customer most often engages, within the window. */
export type BestTimeWait = { bestTime: string };
export type WaitDef = EventWait | DelayWait | UntilWait | LocalTimeWait | BestTimeWait;

export const isEventWait = (w: WaitDef): w is EventWait => 'event' in w;

/** Names of events the engine sends itself; a workflow may not use this prefix. */
export { RESERVED_EVENT_PREFIX } from '../triggers/engine-events.ts';

/** The kind of exit a state has, once validated (exactly one). */
export type StateExit =
  | { kind: 'next'; target: string }
  | { kind: 'choose'; branches: Branch[] }
  | { kind: 'split'; branches: SplitBranch[] }
  | { kind: 'end'; outcome: string }
  | { kind: 'on'; on: Record<string, string | Branch[]> };

/** Normalised view of a state's exit, shared by validation, compiler and editor-facing code. */
export function stateExit(state: StateDef): StateExit | null {
  if (state.end !== undefined) return { kind: 'end', outcome: state.end };
  if (state.on !== undefined) return { kind: 'on', on: state.on };
  if (state.choose !== undefined) return { kind: 'choose', branches: state.choose };
  if (state.split !== undefined) return { kind: 'split', branches: state.split };
  if (state.next !== undefined) return { kind: 'next', target: state.next };
  return null;
}

/** Every state a state can move to, with the JSON path of the reference (for errors). */
export function stateTargets(state: StateDef): { target: string; path: (string | number)[] }[] {
  const out: { target: string; path: (string | number)[] }[] = [];
  if (state.next !== undefined) out.push({ target: state.next, path: ['next'] });
  for (const [i, b] of (state.choose ?? []).entries())
    out.push({ target: b.next, path: ['choose', i, 'next'] });
  for (const [i, b] of (state.split ?? []).entries())
    out.push({ target: b.next, path: ['split', i, 'next'] });
  for (const [key, value] of Object.entries(state.on ?? {})) {
    if (typeof value === 'string') out.push({ target: value, path: ['on', key] });
    else for (const [i, b] of value.entries()) out.push({ target: b.next, path: ['on', key, i, 'next'] });
  }
  state.steps?.forEach((s, i) => {
    if (typeof s.onError === 'object') {
      out.push({ target: s.onError.next, path: ['steps', i, 'onError', 'next'] });
    }
  });
  return out;
}
