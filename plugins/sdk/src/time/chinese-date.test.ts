import { describe, expect, it } from 'vitest';
import { chineseDate } from './chinese-date.ts';

const at = (civil: string, zone = 'Asia/Shanghai') => chineseDate(new Date(`${civil}T12:00:00+08:00`), zone);

describe('chineseDate', () => {
  it('follows the official calendar where ICU is a day off', () => {
    expect(at('2027-02-05')).toEqual({ month: 12, day: 29, leap: false });
    expect(at('2027-02-06')).toEqual({ month: 1, day: 1, leap: false }); // Spring Festival 2027
    expect(at('2027-02-20')).toEqual({ month: 1, day: 15, leap: false }); // Lantern Festival
    expect(at('2027-03-08')).toEqual({ month: 2, day: 1, leap: false });
    expect(at('2030-02-02')).toEqual({ month: 12, day: 30, leap: false });
    expect(at('2030-02-03')).toEqual({ month: 1, day: 1, leap: false }); // Spring Festival 2030
    expect(at('2018-11-07')).toEqual({ month: 9, day: 30, leap: false });
  });

  it('agrees with ICU elsewhere, leap months included', () => {
    expect(at('2026-02-17')).toEqual({ month: 1, day: 1, leap: false });
    expect(at('2026-09-25')).toEqual({ month: 8, day: 15, leap: false });
    expect(at('2027-09-15')).toEqual({ month: 8, day: 15, leap: false });
    expect(at('2025-07-25')).toEqual({ month: 6, day: 1, leap: true }); // the leap sixth month of 2025
  });
});
