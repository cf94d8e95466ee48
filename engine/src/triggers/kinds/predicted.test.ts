import { describe, expect, it } from 'vitest';
import { kindMismatch, startingEvent, toTrigger } from '../registry.ts';
import type { Trigger } from '../types.ts';
import { enteredPrediction, parseComparison, predictedKind, predictionHolds } from './predicted.ts';

const values = (churn: number, value = 100) => ({
  churn,
  aliveProbability: 1 - churn,
  orders90d: 0.5,
  value,
});

describe('the predicted trigger', () => {
  it('reads comparisons', () => {
    expect(parseComparison('> 0.7')).toEqual({ op: '>', value: 0.7 });
    expect(parseComparison('<=12')).toEqual({ op: '<=', value: 12 });
    expect(parseComparison('0.7')).toBeNull();
    expect(parseComparison('> high')).toBeNull();
  });

  it('checks every comparison, and that probabilities stay within 0 and 1', () => {
    const issues = (predicted: Record<string, string>) =>
      predictedKind.check({ kind: 'predicted', predicted } as Extract<Trigger, { kind: 'predicted' }>);
    expect(issues({ churn: '> 0.7', value: '>= 500' })).toEqual([]);
    expect(issues({ churn: 'high' })[0]?.path).toEqual(['predicted', 'churn']);
    expect(issues({ aliveProbability: '< 2' })[0]?.message).toMatch(/probability/);
    expect(issues({})[0]?.message).toMatch(/at least one/);
  });

  it('holds when every comparison does, and never without predictions', () => {
    expect(predictionHolds({ churn: '> 0.7' }, values(0.8))).toBe(true);
    expect(predictionHolds({ churn: '> 0.7', value: '> 500' }, values(0.8))).toBe(false);
    expect(predictionHolds({ churn: '> 0.7' }, null)).toBe(false);
  });

  it('starts a run only for a customer the refresh moved into the condition', () => {
    const trigger = toTrigger({ predicted: { churn: '> 0.7' } }) as Trigger;
    expect(startingEvent(trigger)).toBe('customer.predicted');
    expect(kindMismatch(trigger, { after: values(0.8), before: values(0.5) })).toBeNull();
    expect(kindMismatch(trigger, { after: values(0.8), before: null })).toBeNull();
    expect(kindMismatch(trigger, { after: values(0.8), before: values(0.75) })).toMatch(/already/);
    expect(kindMismatch(trigger, { after: values(0.6), before: values(0.5) })).toMatch(/do not meet/);
    expect(enteredPrediction({ churn: '> 0.7' }, values(0.9), values(0.95))).toBe(false);
  });
});
