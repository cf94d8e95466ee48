import { describe, expect, it } from 'vitest';
import { parseReentry } from './reentry.ts';

describe('parseReentry', () => {
  it('reads the three forms', () => {
    expect(parseReentry(undefined)).toEqual({ ok: true, value: { kind: 'never' } });
    expect(parseReentry('always')).toEqual({ ok: true, value: { kind: 'always' } });
    expect(parseReentry('after 90d')).toEqual({
      ok: true,
      value: { kind: 'after', ms: 90 * 86_400_000 },
    });
    expect(parseReentry('sometimes').ok).toBe(false);
    expect(parseReentry('after soon').ok).toBe(false);
  });
});
