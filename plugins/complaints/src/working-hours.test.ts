import { describe, expect, it } from 'vitest';
import { addWorkingTime, type WorkingHours } from './working-hours.ts';

const shanghai: WorkingHours = {
  zone: 'Asia/Shanghai',
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  from: '09:00',
  to: '18:00',
};
const H = 3_600_000;

describe('addWorkingTime', () => {
  it('counts inside the day', () => {
    // Wednesday 10:00 in Shanghai (02:00Z) + 2h → 12:00 (04:00Z).
    expect(addWorkingTime(new Date('2026-12-02T02:00:00Z'), 2 * H, shanghai).toISOString()).toBe(
      '2026-12-02T04:00:00.000Z',
    );
  });

  it('carries over the night and the weekend', () => {
    // Friday 17:00 + 4h: one hour on Friday, three on Monday from 09:00 → Monday 12:00.
    expect(addWorkingTime(new Date('2026-12-04T09:00:00Z'), 4 * H, shanghai).toISOString()).toBe(
      '2026-12-07T04:00:00.000Z',
    );
  });

  it('starts at opening time when received before or after hours', () => {
    // Saturday 23:00 → Monday 09:00 + 1h.
    expect(addWorkingTime(new Date('2026-12-05T15:00:00Z'), H, shanghai).toISOString()).toBe(
      '2026-12-07T02:00:00.000Z',
    );
    // Wednesday 07:00 → Wednesday 10:00.
    expect(addWorkingTime(new Date('2026-12-01T23:00:00Z'), H, shanghai).toISOString()).toBe(
      '2026-12-02T02:00:00.000Z',
    );
  });

  it('follows the wall clock across a DST change', () => {
    const london: WorkingHours = {
      zone: 'Europe/London',
      days: ['mon', 'tue', 'wed', 'thu', 'fri'],
      from: '09:00',
      to: '17:00',
    };
    // Friday 2027-03-26 16:00 GMT + 2h → Monday 2027-03-29 10:00 BST (09:00Z).
    expect(addWorkingTime(new Date('2027-03-26T16:00:00Z'), 2 * H, london).toISOString()).toBe(
      '2027-03-29T09:00:00.000Z',
    );
  });

  it('refuses hours that never come', () => {
    expect(() => addWorkingTime(new Date(), H, { ...shanghai, days: [] })).toThrow(/no working time/);
  });
});
