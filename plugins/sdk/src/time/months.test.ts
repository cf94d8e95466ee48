import { describe, expect, it } from 'vitest';
import { monthsAround } from './zoned.ts';

describe('monthsAround', () => {
  it('cuts months at local midnight of the 1st, across the turn of the year', () => {
    // 1 January 2027, 03:00 in Shanghai is still 31 December in UTC.
    const m = monthsAround(new Date('2026-12-31T19:00:00Z'), 'Asia/Shanghai');
    expect(m).toEqual({
      lastMonth: new Date('2026-11-30T16:00:00Z'),
      thisMonth: new Date('2026-12-31T16:00:00Z'),
      nextMonth: new Date('2027-01-31T16:00:00Z'),
      thisLabel: '2027-01',
      lastLabel: '2026-12',
    });
  });

  it('follows daylight saving time', () => {
    const m = monthsAround(new Date('2026-04-10T12:00:00Z'), 'Europe/London');
    expect(m.lastMonth).toEqual(new Date('2026-03-01T00:00:00Z'));
    expect(m.thisMonth).toEqual(new Date('2026-03-31T23:00:00Z'));
  });
});
