import { describe, expect, it } from 'vitest';
import { nextLocalTime } from './next-local-time.ts';
import { zonedToInstant } from './zoned.ts';

describe('nextLocalTime', () => {
  it('finds 10:00 later the same day in the customer zone', () => {
    const now = new Date('2026-03-02T00:30:00Z'); // 08:30 in Shanghai, a Monday
    expect(nextLocalTime(now, 'Asia/Shanghai', '10:00').toISOString()).toBe('2026-03-02T02:00:00.000Z');
  });

  it('moves to the next allowed weekday', () => {
    const now = new Date('2026-03-02T03:00:00Z'); // Monday 11:00 in Shanghai
    const due = nextLocalTime(now, 'Asia/Shanghai', '10:00', ['tue', 'thu']);
    expect(due.toISOString()).toBe('2026-03-03T02:00:00.000Z');
  });

  it('keeps the local time across a DST change (New York, March 2026)', () => {
    const now = new Date('2026-03-07T16:00:00Z'); // Saturday 11:00 EST
    const due = nextLocalTime(now, 'America/New_York', '09:00', ['mon']);
    expect(due.toISOString()).toBe('2026-03-09T13:00:00.000Z'); // 09:00 EDT
  });

  it('fires now when now is exactly the time', () => {
    const now = new Date('2026-03-02T02:00:00Z');
    expect(nextLocalTime(now, 'Asia/Shanghai', '10:00').getTime()).toBe(now.getTime());
  });
});

describe('zonedToInstant', () => {
  it('moves a time inside a DST gap forward', () => {
    const t = zonedToInstant({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, 'America/New_York');
    expect(t.toISOString()).toBe('2026-03-08T07:30:00.000Z'); // 03:30 EDT
  });

  it('takes the first of a repeated hour', () => {
    const t = zonedToInstant({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, 'America/New_York');
    expect(t.toISOString()).toBe('2026-11-01T05:30:00.000Z'); // 01:30 EDT
  });
});
