import { describe, expect, it } from 'vitest';
import { normalizeBirthday, normalizeEmail, normalizeLocale, normalizePhone } from './normalize.ts';

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
