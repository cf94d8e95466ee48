import { describe, expect, it } from 'vitest';
import { DURATION_PATTERN, parseDuration } from './duration.ts';

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

describe('DURATION_PATTERN', () => {
  it('accepts in a schema exactly what parseDuration accepts', () => {
    const pattern = new RegExp(DURATION_PATTERN);
    for (const text of ['500ms', '30s', '1h30m', '7d', '2w', 'P7D', 'PT2H', 'PT1.5S', 'P1W2DT3H4M5S']) {
      expect(pattern.test(text), text).toBe(true);
      expect(parseDuration(text).ok, text).toBe(true);
    }
    for (const text of ['', '7', '1y', 'P1M', 'PT', 'P', '1.5h', 'soon']) {
      expect(pattern.test(text), text).toBe(false);
      expect(parseDuration(text).ok, text).toBe(false);
    }
  });
});
