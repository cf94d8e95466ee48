import { describe, expect, it } from 'vitest';
import { CODE_LENGTH, displayCode, newCode, normalizeCode } from './codes.ts';

describe('referral codes', () => {
  it('are eight characters people can read back', () => {
    const codes = new Set(Array.from({ length: 2000 }, newCode));
    expect(codes.size).toBe(2000);
    for (const code of codes) {
      expect(code).toHaveLength(CODE_LENGTH);
      expect(code).not.toMatch(/[ILOU]/);
      expect(normalizeCode(displayCode(code))).toBe(code);
    }
  });
  it('read as typed: any case, dashes and spaces, O for 0 and I or L for 1', () => {
    expect(normalizeCode('ab12-cd34')).toBe('AB12CD34');
    expect(normalizeCode(' ab12 cd3o ')).toBe('AB12CD30');
    expect(normalizeCode('lb12-cd3i')).toBe('1B12CD31');
  });
  it('refuse what cannot be a code', () => {
    for (const bad of ['', 'AB12CD3', 'AB12CD345', 'AB12CD3U', 'AB12-CD3!'])
      expect(normalizeCode(bad)).toBeNull();
  });
});
