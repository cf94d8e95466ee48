import { describe, expect, it } from 'vitest';
import { quietUntil } from './zoned.ts';

describe('quiet hours', () => {
  it('end at the next local end time, across midnight and time zones', () => {
    // 23:30 in Shanghai → 08:00 the next morning there.
    expect(
      quietUntil(new Date('2026-03-01T15:30:00Z'), 'Asia/Shanghai', '21:00', '08:00')?.toISOString(),
    ).toBe('2026-03-02T00:00:00.000Z');
    // 06:00 in Shanghai → 08:00 the same morning.
    expect(
      quietUntil(new Date('2026-03-01T22:00:00Z'), 'Asia/Shanghai', '21:00', '08:00')?.toISOString(),
    ).toBe('2026-03-02T00:00:00.000Z');
    // The same instant is 10:30 in New York: no quiet hours.
    expect(quietUntil(new Date('2026-03-01T15:30:00Z'), 'America/New_York', '21:00', '08:00')).toBeNull();
  });

  it('follow daylight saving time', () => {
    // New York moves to EDT on 8 March 2026: 08:00 local is then 12:00 UTC.
    expect(
      quietUntil(new Date('2026-03-08T04:00:00Z'), 'America/New_York', '21:00', '08:00')?.toISOString(),
    ).toBe('2026-03-08T12:00:00.000Z');
  });

  it('also work for windows within one day', () => {
    expect(quietUntil(new Date('2026-03-01T12:30:00Z'), 'UTC', '12:00', '14:00')?.toISOString()).toBe(
      '2026-03-01T14:00:00.000Z',
    );
    expect(quietUntil(new Date('2026-03-01T14:00:00Z'), 'UTC', '12:00', '14:00')).toBeNull();
  });
});
