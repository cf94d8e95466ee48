import { fnv1a } from '../definitions/experiment.ts';

/** The history entry of a run taking an experiment's arm: `{ experiment, arm, route }`. */
export const EXPERIMENT_ASSIGNED = 'experiment.assigned';

/** How a customer came to an arm: split as written, kept split as the holdout, or the winner. */
export type Route = 'split' | 'holdout' | 'winner';

/** What the compiled split knows of its experiment (null: a plain split). */
export interface SplitExperiment {
  key: string;
  holdout: number;
  /** `pick: auto`: a decided winner takes the entrants outside the holdout. */
  follows: boolean;
}

/** Winning arms by experiment key, as the worker decided them (TransitionEnv.experiments). */
export type ExperimentWinners = ReadonlyMap<string, number>;

/**
 * The arm a customer takes at a split. Deterministic per customer and state, as a plain split
 * always was: the bucket of the customer's id decides among the weights. Once an experiment
 * that follows its winner has one, every customer outside the holdout (a second bucket, so the
 * holdout is a fixed share of customers) goes to the winner; the holdout keeps being split.
 */
export function splitArm(
  customerId: string,
  state: string,
  weights: readonly number[],
  experiment: SplitExperiment | null,
  winners: ExperimentWinners | undefined,
): { arm: number; route: Route } {
  const winner = experiment?.follows ? winners?.get(experiment.key) : undefined;
  if (experiment && winner !== undefined) {
    const held = fnv1a(`${customerId}:${state}:holdout`) % 10_000 < experiment.holdout * 10_000;
    if (!held) return { arm: winner, route: 'winner' };
    return { arm: weightedArm(customerId, state, weights), route: 'holdout' };
  }
  return { arm: weightedArm(customerId, state, weights), route: 'split' };
}

function weightedArm(customerId: string, state: string, weights: readonly number[]): number {
  const total = weights.reduce((sum, w) => sum + w, 0);
  const at = ((fnv1a(`${customerId}:${state}`) % 10_000) / 10_000) * total;
  let to = 0;
  for (let i = 0; i < weights.length; i++) {
    to += weights[i] as number;
    if (at < to) return i;
  }
  return weights.length - 1;
}
