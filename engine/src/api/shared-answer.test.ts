import { afterEach, describe, expect, it, vi } from 'vitest';
import { sharedAnswer } from './shared-answer.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('sharedAnswer', () => {
  it('computes once for callers who ask together or within the hold, again after it', async () => {
    vi.useFakeTimers();
    let computed = 0;
    const answer = sharedAnswer(async (key) => `${key}:${++computed}`);
    expect(await Promise.all([answer('a'), answer('a')])).toEqual(['a:1', 'a:1']);
    expect(await answer('b')).toBe('b:2');
    vi.advanceTimersByTime(900);
    expect(await answer('a')).toBe('a:1');
    vi.advanceTimersByTime(200);
    expect(await answer('a')).toBe('a:3');
  });

  it('holds a slow answer five times as long as it took', async () => {
    vi.useFakeTimers();
    let computed = 0;
    const answer = sharedAnswer(async () => {
      vi.advanceTimersByTime(2000);
      return ++computed;
    });
    expect(await answer('k')).toBe(1);
    vi.advanceTimersByTime(9000);
    expect(await answer('k')).toBe(1);
    vi.advanceTimersByTime(1100);
    expect(await answer('k')).toBe(2);
  });

  it('does not keep a failure', async () => {
    let calls = 0;
    const answer = sharedAnswer(async () => {
      calls += 1;
      if (calls === 1) throw new Error('database restarting');
      return 'ok';
    });
    await expect(answer('k')).rejects.toThrow('database restarting');
    expect(await answer('k')).toBe('ok');
  });
});

describe('sharedAnswer with what callers have seen', () => {
  it('computes again for a caller who has seen more than the held answer, not for one who has not', async () => {
    let computed = 0;
    let position = 100n;
    const answer = sharedAnswer(async () => ++computed);
    const seen = (after: bigint) => ({ after, position: async () => position });
    expect(await answer('k', seen(100n))).toBe(1);
    // Computed at 100: a caller who saw up to 100 shares it; one who saw 150 does not.
    expect(await answer('k', seen(90n))).toBe(1);
    position = 150n;
    expect(await answer('k', seen(150n))).toBe(2);
    expect(await answer('k', seen(150n))).toBe(2);
  });
});
