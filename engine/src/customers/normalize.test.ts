import { describe, expect, it } from 'vitest';
import {
  normalizeBirthday,
  normalizeEmail,
  normalizeLocale,
  normalizePhone,
  phoneSpellings,
} from './normalize.ts';

describe('normalizing personal data', () => {
  it('emails', () => {
    expect(normalizeEmail('  Ann@Example.COM ')).toBe('ann@example.com');
    expect(normalizeEmail('not-an-email')).toBeNull();
  });
  it('phones', () => {
    expect(normalizePhone('+86 138-0013-8000')).toBe('+8613800138000');
    expect(normalizePhone('(555) 010 9999')).toBe('5550109999');
    expect(normalizePhone('call me')).toBeNull();
  });
  it('birthdays, with or without a year, 29 February only when it exists', () => {
    expect(normalizeBirthday('1990-04-23')).toEqual({ value: '1990-04-23', monthDay: 423 });
    expect(normalizeBirthday('--02-29')).toEqual({ value: '--02-29', monthDay: 229 });
    expect(normalizeBirthday('2000-02-29')).toEqual({ value: '2000-02-29', monthDay: 229 });
    expect(normalizeBirthday('2001-02-29')).toBeNull();
    expect(normalizeBirthday('1990-13-01')).toBeNull();
  });
  it('locales', () => {
    expect(normalizeLocale('zh-cn')).toBe('zh-CN');
    expect(normalizeLocale('en')).toBe('en');
    expect(normalizeLocale('!!')).toBeNull();
  });
});

describe('phoneSpellings', () => {
  it('finds a number with or without the home country code and trunk 0', () => {
    expect(phoneSpellings('13912345678', '86')).toEqual(['13912345678', '+8613912345678', '013912345678']);
    expect(phoneSpellings('+8613912345678', '86')).toEqual(['+8613912345678', '13912345678', '013912345678']);
    expect(phoneSpellings('02112345678', '86')).toEqual(['02112345678', '+862112345678', '2112345678']);
    expect(phoneSpellings('+14155550100', '86')).toEqual(['+14155550100']);
  });
});
