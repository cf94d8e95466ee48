import { PREDICTED } from '../engine-events.ts';
import type { PredictedCondition, TriggerIssue, TriggerKindModule } from '../types.ts';

/** The predictions a `predicted:` trigger may compare, as `customer.predicted` names them. */
export const PREDICTED_FIELDS = ['churn', 'aliveProbability', 'orders90d', 'value'] as const;
export type PredictedField = (typeof PREDICTED_FIELDS)[number];
/** One customer's predictions, as the `customer.predicted` event carries them. */
export type PredictedValues = Record<PredictedField, number>;

const PROBABILITIES: readonly PredictedField[] = ['churn', 'aliveProbability'];

interface Comparison {
  op: '>' | '>=' | '<' | '<=';
  value: number;
}

const COMPARISON = /^\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)\s*$/;

/** `"> 0.7"` → { op: '>', value: 0.7 }, or null. */
export function parseComparison(text: string): Comparison | null {
  const m = COMPARISON.exec(text);
  return m ? { op: m[1] as Comparison['op'], value: Number(m[2]) } : null;
}

function compare(actual: number, c: Comparison): boolean {
  switch (c.op) {
    case '>':
      return actual > c.value;
    case '>=':
      return actual >= c.value;
    case '<':
      return actual < c.value;
    case '<=':
      return actual <= c.value;
  }
}

/** Whether every comparison of the condition holds for these predictions (none: no predictions). */
export function predictionHolds(condition: PredictedCondition, values: PredictedValues | null): boolean {
  if (!values) return false;
  for (const field of PREDICTED_FIELDS) {
    const text = condition[field];
    if (text === undefined) continue;
    const c = parseComparison(text);
    const actual = values[field];
    if (!c || typeof actual !== 'number' || !compare(actual, c)) return false;
  }
  return true;
}

/** Whether a refresh moved a customer into the condition: it holds now and did not before. */
export function enteredPrediction(
  condition: PredictedCondition,
  before: PredictedValues | null,
  after: PredictedValues,
): boolean {
  return predictionHolds(condition, after) && !predictionHolds(condition, before);
}

const words = (c: PredictedCondition) =>
  PREDICTED_FIELDS.filter((f) => c[f] !== undefined)
    .map((f) => `${f} ${String(c[f]).trim()}`)
    .join(' and ');

/**
 * `trigger: { predicted: { churn: "> 0.7" } }`: a run starts when the nightly purchase model
 * moves the customer into the condition (every comparison holds now, not all did before). The
 * refresh records that as a `customer.predicted` event carrying the predictions before and after.
 */
export const predictedKind: TriggerKindModule<'predicted'> = {
  kind: 'predicted',
  repeats: false,
  check(t) {
    const issues: TriggerIssue[] = [];
    const named = PREDICTED_FIELDS.filter((f) => t.predicted[f] !== undefined);
    if (named.length === 0)
      issues.push({
        path: ['predicted'],
        message: `must compare at least one of ${PREDICTED_FIELDS.join(', ')}`,
      });
    for (const field of named) {
      const c = parseComparison(String(t.predicted[field]));
      if (!c)
        issues.push({
          path: ['predicted', field],
          message: 'must be a comparison with a number, such as "> 0.7" (>, >=, <, <=)',
        });
      else if (PROBABILITIES.includes(field) && (c.value < 0 || c.value > 1))
        issues.push({
          path: ['predicted', field],
          message: 'is a probability: compare it with a number from 0 to 1',
        });
    }
    return issues;
  },
  describe: (t) => `the purchase model predicting ${words(t.predicted)}`,
  starts: {
    by: 'event',
    eventType: () => PREDICTED,
    mismatch(t, data) {
      const after = valuesOf(data.after);
      if (!predictionHolds(t.predicted, after)) return `the predictions do not meet ${words(t.predicted)}`;
      if (predictionHolds(t.predicted, valuesOf(data.before)))
        return `the predictions already met ${words(t.predicted)} before this refresh`;
      return null;
    },
  },
};

/** Predictions read from an event's data (anything else: none). */
export function valuesOf(data: unknown): PredictedValues | null {
  if (!data || typeof data !== 'object') return null;
  const d = data as Record<string, unknown>;
  return PREDICTED_FIELDS.every((f) => typeof d[f] === 'number') ? (d as PredictedValues) : null;
}
