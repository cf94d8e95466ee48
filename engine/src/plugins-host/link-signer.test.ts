import { describe, expect, it } from 'vitest';
import { linkSigner } from './link-signer.ts';

const links = linkSigner(Buffer.alloc(32, 1));
const now = new Date('2026-05-01T00:00:00Z');

describe('signed links', () => {
  it('verify what they signed, until it expires', () => {
    const token = links.sign({ s: 'link-1' }, new Date('2026-05-15T00:00:00Z'));
    expect(links.verify(token, now)).toMatchObject({ s: 'link-1' });
    expect(links.verify(token, new Date('2026-05-15T00:00:01Z'))).toBeNull();
  });

  it('refuse altered, foreign and malformed tokens', () => {
    const token = links.sign({ u: 'ann', c: 'email' }, null);
    const [body, mac] = token.split('.') as [string, string];
    const other = Buffer.from(JSON.stringify({ u: 'bob', c: 'email' })).toString('base64url');
    expect(links.verify(`${other}.${mac}`, now)).toBeNull();
    expect(
      links.verify(linkSigner(Buffer.alloc(32, 2)).sign({ u: 'ann', c: 'email' }, null), now),
    ).toBeNull();
    for (const bad of ['', body, `${body}.`, `${token}.x`, 'a.b'])
      expect(links.verify(bad, now), bad).toBeNull();
  });
});
