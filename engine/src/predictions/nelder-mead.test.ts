import { describe, expect, it } from 'vitest';
import { nelderMead } from './nelder-mead.ts';

describe('nelderMead', () => {
  it('finds the minimum of the Rosenbrock valley', () => {
    const rosenbrock = ([x = 0, y = 0]: number[]) => (1 - x) ** 2 + 100 * (y - x * x) ** 2;
    const m = nelderMead(rosenbrock, [-1.2, 1], { tolerance: 1e-14 });
    expect(m.converged).toBe(true);
    expect(m.point[0]).toBeCloseTo(1, 3);
    expect(m.point[1]).toBeCloseTo(1, 3);
  });
  it('steps around a region where the function is not defined', () => {
    const m = nelderMead(([x = 0]) => (x < 0 ? Number.NaN : (x - 2) ** 2), [1]);
    expect(m.point[0]).toBeCloseTo(2, 4);
  });
});
