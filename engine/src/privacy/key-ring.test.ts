import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeyRing, parseKey } from './key-ring.ts';

describe('KeyRing', () => {
  const a = randomBytes(32);
  const b = randomBytes(32);

  it('encrypts with a fresh IV each time and decrypts', () => {
    const ring = new KeyRing(a);
    const x = ring.encrypt('ann@example.com');
    const y = ring.encrypt('ann@example.com');
    expect(x.equals(y)).toBe(false);
    expect(x.toString('utf8')).not.toContain('ann@');
    expect(ring.decrypt(x)).toBe('ann@example.com');
  });

  it('detects tampering', () => {
    const ring = new KeyRing(a);
    const x = ring.encrypt('secret');
    x[x.length - 1] = (x[x.length - 1] ?? 0) ^ 1;
    expect(() => ring.decrypt(x)).toThrow();
  });

  it('decrypts old values after a rotation and marks them stale', () => {
    const old = new KeyRing(a).encrypt('13800138000');
    const rotated = new KeyRing(b, [a]);
    expect(rotated.decrypt(old)).toBe('13800138000');
    expect(rotated.isStale(old)).toBe(true);
    expect(rotated.isStale(rotated.encrypt('x'))).toBe(false);
    expect(rotated.lookupAll('x')).toHaveLength(2);
    expect(rotated.lookupAll('x')[1]?.equals(new KeyRing(a).lookup('x'))).toBe(true);
    expect(() => new KeyRing(b).decrypt(old)).toThrow(/no key/);
  });

  it('reads hex and base64 keys', () => {
    expect(parseKey(a.toString('hex')).equals(a)).toBe(true);
    expect(parseKey(a.toString('base64')).equals(a)).toBe(true);
    expect(() => parseKey('short')).toThrow(/32 bytes/);
  });
});
