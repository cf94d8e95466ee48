import { describe, expect, it } from 'vitest';
import { hyp2f1, logAddExp, logGamma, logHyp2f1 } from './special.ts';

describe('logGamma', () => {
  it('matches factorials and Γ(1/2) = √π', () => {
    expect(logGamma(1)).toBeCloseTo(0, 13);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(logGamma(171)).toBeCloseTo(706.5730622457874, 8);
    expect(logGamma(0.001)).toBeCloseTo(6.907178885383854, 10);
  });
  it('refuses what is not positive', () => {
    expect(logGamma(0)).toBeNaN();
    expect(logGamma(-1)).toBeNaN();
  });
});

describe('hyp2f1', () => {
  it('matches closed forms', () => {
    // 2F1(1, 1; 2; z) = −ln(1 − z) / z
    expect(hyp2f1(1, 1, 2, 0.5)).toBeCloseTo(-Math.log(0.5) / 0.5, 12);
    // 2F1(a, b; b; z) = (1 − z)^(−a)
    expect(hyp2f1(0.3, 2, 2, 0.9)).toBeCloseTo(0.1 ** -0.3, 10);
    expect(hyp2f1(2, 3, 4, 0)).toBe(1);
  });
  it('refuses z outside [0, 1)', () => {
    expect(() => hyp2f1(1, 1, 2, 1)).toThrow(RangeError);
  });
});

describe('logHyp2f1', () => {
  it('agrees with the plain series, and sums series whose terms pass the double range', () => {
    expect(logHyp2f1(2.5, 3, 4.2, 0.7)).toBeCloseTo(Math.log(hyp2f1(2.5, 3, 4.2, 0.7)), 12);
    // 2F1(a, b; b; z) = (1 − z)^(−a): here ≈ e^1386, far beyond a double.
    expect(logHyp2f1(2000, 7, 7, 0.5)).toBeCloseTo(-2000 * Math.log(0.5), 8);
  });
});

describe('logAddExp', () => {
  it('adds in logs without overflow', () => {
    expect(logAddExp(Math.log(2), Math.log(3))).toBeCloseTo(Math.log(5), 14);
    expect(logAddExp(1000, 1000)).toBeCloseTo(1000 + Math.log(2), 10);
    expect(logAddExp(Number.NEGATIVE_INFINITY, 0)).toBe(0);
  });
});
