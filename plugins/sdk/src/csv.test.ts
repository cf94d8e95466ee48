import { describe, expect, it } from 'vitest';
import { toCsv } from './csv.ts';

describe('toCsv', () => {
  it('quotes what needs quoting, keeps Chinese text, starts with a BOM', () => {
    const csv = toCsv(
      ['who', 'said'],
      [
        ['李娜', 'fine, "really"\nthanks'],
        [null, 7],
      ],
    );
    expect(csv).toBe('\uFEFFwho,said\r\n李娜,"fine, ""really""\nthanks"\r\n,7\r\n');
  });

  it('defuses text a spreadsheet would run as a formula, not numbers', () => {
    expect(toCsv(['c'], [['=HYPERLINK("x")'], ['-1'], [-1], ['@me']])).toBe(
      '\uFEFFc\r\n"\'=HYPERLINK(""x"")"\r\n\'-1\r\n-1\r\n\'@me\r\n',
    );
  });
});
