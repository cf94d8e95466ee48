import { describe, expect, it } from 'vitest';
import { renderConfig, renderConfigSync } from './liquid.ts';

/** Runs `work` and says how long it took, in ms. */
async function timed<T>(work: () => Promise<T>): Promise<{ result: PromiseSettledResult<T>; ms: number }> {
  const start = performance.now();
  const [result] = await Promise.allSettled([work()]);
  return { result: result as PromiseSettledResult<T>, ms: performance.now() - start };
}

describe('with: templates are bounded', () => {
  it('fails a loop over a hundred million items at once, saying why', async () => {
    const { result, ms } = await timed(() =>
      renderConfig({ text: '{% for i in (1..100000000) %}x{% endfor %}' }, {}),
    );
    expect(result.status).toBe('rejected');
    expect(String((result as PromiseRejectedResult).reason)).toMatch(/memory alloc limit exceeded/);
    expect(ms).toBeLessThan(1000);
  });

  it('stops a render that runs past its time', async () => {
    const { result, ms } = await timed(() =>
      renderConfig(
        { text: '{% for a in (1..2000) %}{% for b in (1..2000) %}{{ b }}{% endfor %}{% endfor %}' },
        {},
      ),
    );
    expect(result.status).toBe('rejected');
    expect(String((result as PromiseRejectedResult).reason)).toMatch(/template render limit exceeded/);
    expect(ms).toBeLessThan(3000);
  });

  it('bounds the synchronous renders of inline steps too', () => {
    expect(() => renderConfigSync({ v: '{% for i in (1..100000000) %}x{% endfor %}' }, {})).toThrow(
      /memory alloc limit exceeded/,
    );
  });

  it('still renders ordinary templates', async () => {
    expect(
      await renderConfig({ v: '{% for i in (1..3) %}{{ i }}{% endfor %} {{ name }}' }, { name: 'Ann' }),
    ).toEqual({
      v: '123 Ann',
    });
  });
});
