import { parseDuration } from '@tend/plugin-sdk/time';
import type { ExperimentDef, SplitBranch, StateDef, WorkflowDef } from './types.ts';

/** A holdout when the file names none: one entrant in ten keeps being split after a winner. */
export const DEFAULT_HOLDOUT = 0.1;

/** One experiment of a workflow, as the engine tracks it. */
export interface Experiment {
  state: string;
  /**
   * Names the experiment across versions: the state with a fingerprint of its arms, goal and
   * window. A version that keeps them continues the experiment; one that changes them starts a
   * new one (its numbers would not be comparable).
   */
  key: string;
  arms: SplitBranch[];
  goal: ExperimentDef['goal'];
  windowMs: number;
  pick: 'auto' | 'off';
  /** The share of entrants (0 to 0.5) that keeps being split as written after a winner. */
  holdout: number;
}

/** The experiments of a validated workflow, in the order of its states. */
export function experimentsOf(def: WorkflowDef): Experiment[] {
  return Object.entries(def.states).flatMap(([state, s]) => {
    const e = experimentOf(state, s);
    return e ? [e] : [];
  });
}

/** The state's experiment, if it is a split with one. */
export function experimentOf(state: string, s: StateDef): Experiment | null {
  if (!s.experiment || !s.split) return null;
  const window = parseDuration(s.experiment.window);
  return {
    state,
    key: experimentKey(state, s.split, s.experiment),
    arms: s.split,
    goal: s.experiment.goal,
    windowMs: window.ok ? window.ms : 0,
    pick: s.experiment.pick ?? 'auto',
    holdout: holdoutShare(s.experiment.holdout),
  };
}

/** "10%" or 10 → 0.1; nothing → the default. */
export function holdoutShare(holdout: ExperimentDef['holdout']): number {
  if (holdout === undefined) return DEFAULT_HOLDOUT;
  const percent = typeof holdout === 'number' ? holdout : Number.parseFloat(holdout);
  return percent / 100;
}

function experimentKey(state: string, arms: SplitBranch[], e: ExperimentDef): string {
  const fingerprint = JSON.stringify({
    arms: arms.map((a) => [a.weight, a.next, a.label ?? null]),
    goal: [e.goal.event ?? null, e.goal.where ?? null, e.goal.outcome ?? null],
    window: e.window,
  });
  return `${state}:${fnv1a(fingerprint).toString(16).padStart(8, '0')}`;
}

/** FNV-1a, 32 bits: the split's bucket function, also used for names that must stay stable. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
