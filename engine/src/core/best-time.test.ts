import { localParts } from '@tend/plugin-sdk/time';
import { describe, expect, it } from 'vitest';
import { chooseBestTime, PRIOR_WEIGHT, posterior } from './best-time.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Counts with `n` engagements at each given hour. */
const at = (hours: Record<number, number>) => Array.from({ length: 24 }, (_, h) => hours[h] ?? 0);
const localHour = (d: Date, zone: string) => localParts(d, zone).hour;
const localTime = (d: Date, zone: string) => {
  const p = localParts(d, zone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${String(p.minute).padStart(2, '0')}`;
};

describe('posterior', () => {
  it('is the base pattern scaled to the prior weight when the customer has no history', () => {
    const p = posterior({ own: at({}), base: at({ 9: 1, 20: 3 }) });
    expect(p[20]).toBeCloseTo(0.75);
    expect(p[9]).toBeCloseTo(0.25);
    expect(p[3]).toBe(0);
  });

  it('is uniform with neither history nor a base', () => {
    const p = posterior(undefined);
    for (const x of p) expect(x).toBeCloseTo(1 / 24);
  });

  it('adds the customer counts to the prior pseudo-counts (Dirichlet posterior mean)', () => {
    const p = posterior({ own: at({ 7: 6 }), base: at({ 20: 1 }) });
    expect(p[7]).toBeCloseTo(6 / (PRIOR_WEIGHT + 6));
    expect(p[20]).toBeCloseTo(PRIOR_WEIGHT / (PRIOR_WEIGHT + 6));
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1);
  });

  it('lets a few engagements of their own outweigh the base, not one stray one', () => {
    const base = at({ 20: 10, 7: 2 });
    const peak = (p: number[]) => p.indexOf(Math.max(...p));
    expect(peak(posterior({ own: at({ 7: 1 }), base }))).toBe(20);
    expect(peak(posterior({ own: at({ 7: 8 }), base }))).toBe(7);
  });
});

describe('chooseBestTime', () => {
  const zone = 'Europe/Berlin';
  const now = new Date('2026-06-10T08:20:00Z'); // 10:20 in Berlin (CEST)

  it('lands at the start of the customer usual hour in their zone', () => {
    const c = chooseBestTime(now, zone, DAY, { own: at({ 19: 9, 8: 1 }), base: at({ 12: 5 }) });
    expect(c.at.toISOString()).toBe('2026-06-10T17:00:00.000Z');
    expect(c).toMatchObject({ hour: 19, basis: 'usual' });
  });

  it('goes now when now is in the best hour', () => {
    const c = chooseBestTime(now, zone, DAY, { own: at({ 10: 5 }), base: at({}) });
    expect(c.at).toEqual(now);
    expect(c.hour).toBe(10);
  });

  it('falls back on the base peak without history of their own', () => {
    const c = chooseBestTime(now, zone, DAY, { own: at({}), base: at({ 20: 30, 9: 10 }) });
    expect(c).toMatchObject({ hour: 20, basis: 'base' });
    expect(c.at.toISOString()).toBe('2026-06-10T18:00:00.000Z');
  });

  it('takes the earliest of equal hours: with nothing known, now', () => {
    expect(chooseBestTime(now, zone, DAY, undefined).at).toEqual(now);
    const tie = chooseBestTime(now, zone, DAY, { own: at({ 9: 3, 14: 3 }), base: at({}) });
    expect(tie.hour).toBe(14); // 9:00 has passed today; tomorrow's 9:00 comes after 14:00
  });

  it('skips quiet hours for the next best hour, and never lands inside them', () => {
    const quiet = { from: '21:00', to: '08:00' };
    const c = chooseBestTime(now, zone, DAY, { own: at({ 23: 10, 18: 3 }), base: at({}) }, quiet);
    expect(c).toMatchObject({ hour: 18, basis: 'best' });
    for (let h = 0; h < 24; h++) {
      const any = chooseBestTime(now, zone, DAY, { own: at({ [h]: 5 }), base: at({ 2: 50 }) }, quiet);
      expect(localHour(any.at, zone) >= 8 && localHour(any.at, zone) < 21).toBe(true);
    }
  });

  it('keeps to the window: an hour starting at its very end counts, one after it does not', () => {
    const start = new Date('2026-06-10T14:00:00Z'); // 16:00 Berlin
    const profile = { own: at({ 19: 10, 17: 2 }), base: at({}) };
    expect(chooseBestTime(start, zone, 3 * HOUR, profile).at.toISOString()).toBe('2026-06-10T17:00:00.000Z');
    const short = chooseBestTime(start, zone, 3 * HOUR - 1, profile);
    expect(short).toMatchObject({ hour: 17, basis: 'best' });
    expect(short.at.toISOString()).toBe('2026-06-10T15:00:00.000Z');
  });

  it('waits to the window end when every hour of it is quiet', () => {
    const late = new Date('2026-06-10T21:10:00Z'); // 23:10 Berlin
    const c = chooseBestTime(
      late,
      zone,
      2 * HOUR,
      { own: at({ 19: 4 }), base: at({}) },
      { from: '21:00', to: '08:00' },
    );
    expect(c.basis).toBe('window-end');
    expect(c.at.getTime()).toBe(late.getTime() + 2 * HOUR);
  });

  it('counts hours on the local clock across a DST change (New York, spring forward)', () => {
    const evening = new Date('2026-03-08T01:00:00Z'); // Sat 7 March 20:00 EST
    const c = chooseBestTime(evening, 'America/New_York', DAY, { own: at({ 19: 5 }), base: at({}) });
    expect(localTime(c.at, 'America/New_York')).toBe('2026-3-8 19:00');
    expect(c.at.toISOString()).toBe('2026-03-08T23:00:00.000Z'); // EDT: four hours behind UTC
    // 02:00 does not exist that night: its posterior cannot win, the wait lands at a real hour.
    const gap = chooseBestTime(evening, 'America/New_York', DAY, { own: at({ 2: 5, 4: 1 }), base: at({}) });
    expect(localTime(gap.at, 'America/New_York')).toBe('2026-3-8 4:00');
  });

  it('takes the first of a repeated hour when the clocks fall back', () => {
    const evening = new Date('2026-11-01T00:00:00Z'); // Sat 31 Oct 20:00 EDT
    const c = chooseBestTime(evening, 'America/New_York', DAY, { own: at({ 1: 5 }), base: at({}) });
    expect(c.at.toISOString()).toBe('2026-11-01T05:00:00.000Z'); // 01:00 EDT, not 01:00 EST
  });

  it('starts local hours where a half-hour zone starts them', () => {
    const c = chooseBestTime(now, 'Asia/Kolkata', DAY, { own: at({ 9: 5 }), base: at({}) });
    expect(c.at.toISOString()).toBe('2026-06-11T03:30:00.000Z');
  });
});
