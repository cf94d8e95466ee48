import { describe, expect, it } from 'vitest';
import { verdictOf, WECHAT } from './error-codes.ts';

describe('WeChat error codes', () => {
  it('retries a busy system and frequency limits', () => {
    for (const code of [-1, 45009])
      expect(verdictOf(code), String(code)).toEqual({ retry: true, user: false });
  });
  it('fails an unfollowed or unsubscribed follower, a bad openid or template, as the journey’s fault', () => {
    for (const code of [43004, 43101, 40003, 40037, 47003]) {
      expect(verdictOf(code), String(code)).toEqual({ retry: false, user: true });
    }
  });
  it('fails the account’s problems without blaming the journey', () => {
    for (const code of [40013, 40125, 40164, 48001]) {
      expect(verdictOf(code), String(code)).toEqual({ retry: false, user: false });
    }
  });
  it('knows the codes of an expired or invalid token', () => {
    expect([...WECHAT.tokenExpired].sort()).toEqual([40001, 40014, 42001]);
  });
});
