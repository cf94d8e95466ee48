import { describe, expect, it } from 'vitest';
import { verdictOf, WECOM } from './error-codes.ts';

describe('WeCom error codes', () => {
  it('retries a busy system and frequency limits', () => {
    for (const code of [-1, 45009, 45033])
      expect(verdictOf(code), String(code)).toEqual({ retry: true, user: false });
  });
  it('fails an unknown contact or relation as the journey’s fault', () => {
    for (const code of [40096, 84061])
      expect(verdictOf(code), String(code)).toEqual({ retry: false, user: true });
  });
  it('fails a wrong secret or missing permission without blaming the journey', () => {
    for (const code of [40001, 40013, 48002])
      expect(verdictOf(code), String(code)).toEqual({ retry: false, user: false });
  });
  it('knows the codes of an expired token', () => {
    expect([...WECOM.tokenExpired]).toEqual([40014, 42001]);
  });
});
