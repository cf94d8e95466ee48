import { describe, expect, it } from 'vitest';
import { parseDuration, parseReentry } from './duration.ts';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['15m', 900_000],
    ['2h', 7_200_000],
    ['7d', 604_800_000],
    ['2w', 1_209_600_000],
    ['1h30m', 5_400_000],
    ['0s', 0],
    ['250ms', 250],
    ['P7D', 604_800_000],
    ['PT1H30M', 5_400_000],
    ['P1W', 604_800_000],
    ['PT0.5S', 500],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, ms });
  });

  it.each(['', '3', 'd', '3 days', 'P', 'PT', '-1d', '3x', 'P1M', 'P1Y', '20000w'])(
    'rejects %j with a message',
    (text) => {
      const r = parseDuration(text);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message.length).toBeGreaterThan(10);
    },
  );

  it('explains why months are refused', () => {
    const r = parseDuration('P1M');
    expect(r.ok || r.message).toMatch(/years and months/);
  });
});

describe('parseReentry', () => {
  it('reads the three forms', () => {
    expect(parseReentry(undefined)).toEqual({ ok: true, value: { kind: 'never' } });
    expect(parseReentry('always')).toEqual({ ok: true, value: { kind: 'always' } });
    expect(parseReentry('after 90d')).toEqual({
      ok: true,
      value: { kind: 'after', ms: 90 * 86_400_000 },
    });
    expect(parseReentry('sometimes').ok).toBe(false);
    expect(parseReentry('after soon').ok).toBe(false);
  });
});
