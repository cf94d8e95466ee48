import { describe, expect, it } from 'vitest';
import { indexGrams, nameMatches, nameQuery } from './name-grams.ts';

const finds = (name: string, text: string) => {
  const q = nameQuery(text);
  if (!q.ok) throw new Error(q.error);
  const stored = new Set(indexGrams(name));
  return q.grams.every((g) => stored.has(g)) && nameMatches(name, q.terms);
};

describe('name fragments', () => {
  it('finds Chinese names by one character or a pair', () => {
    expect(finds('李伟', '李')).toBe(true);
    expect(finds('李伟', '伟')).toBe(true);
    expect(finds('欧阳娜娜', '阳娜')).toBe(true);
    expect(finds('欧阳娜娜', '欧阳娜娜')).toBe(true);
    expect(finds('李伟', '王')).toBe(false);
    // Both characters are there, but not side by side.
    expect(finds('李小伟', '李伟')).toBe(false);
  });

  it('finds Latin names by part of a word, in any case or width, words in any order', () => {
    expect(finds('Wei Zhang', 'wei')).toBe(true);
    expect(finds('Wei Zhang', 'ZHAN')).toBe(true);
    expect(finds('Wei Zhang', 'ｗｅｉ')).toBe(true);
    expect(finds('Wei Zhang', 'zhang wei')).toBe(true);
    expect(finds('Wei Zhang', 'ei')).toBe(true);
    expect(finds('Wei Zhang', 'wang')).toBe(false);
    expect(finds('Anna-Lena Åberg', 'åbe')).toBe(true);
  });

  it('finds mixed names across the change of script', () => {
    expect(finds('李Wei', '李')).toBe(true);
    expect(finds('李Wei', 'wei')).toBe(true);
    expect(finds('李 Wei', '李wei')).toBe(true);
  });

  it('refuses what cannot be looked up, saying why', () => {
    expect(nameQuery('w')).toEqual({ ok: false, error: expect.stringContaining('at least two letters') });
    expect(nameQuery('  -- ')).toEqual({ ok: false, error: expect.stringContaining('part of a name') });
    expect(nameQuery(Array.from({ length: 40 }, (_, i) => String.fromCharCode(0x4e00 + i)).join(''))).toEqual(
      { ok: false, error: expect.stringContaining('too long') },
    );
  });

  it('indexes each fragment once', () => {
    expect(indexGrams('娜娜')).toEqual(['娜', '娜娜']);
    expect(indexGrams('Bo')).toEqual(['bo']);
    expect(indexGrams('J')).toEqual(['j']);
  });
});
