import { describe, expect, it } from 'vitest';
import { countAgainAfterMs } from './overview-refresh.ts';

describe('countAgainAfterMs', () => {
  it('counts again after the interval when counting is quick', () => {
    expect(countAgainAfterMs(60_000, 800)).toBe(60_000);
    expect(countAgainAfterMs(60_000, 3000)).toBe(60_000);
  });

  it('counts a slow base less often: a twentieth of the time at most', () => {
    expect(countAgainAfterMs(60_000, 11_000)).toBe(220_000);
  });

  it('never waits longer than five minutes, before the dashboard would count at the look', () => {
    expect(countAgainAfterMs(60_000, 40_000)).toBe(300_000);
  });
});
