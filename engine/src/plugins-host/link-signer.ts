import { createHmac, timingSafeEqual } from 'node:crypto';
import type { LinkService } from '@tend/plugin-sdk';

/**
 * Signed tokens for links customers follow (survey pages, unsubscribe): a base64url JSON payload
 * and its HMAC-SHA256. A token with `exp` stops verifying after it; a forged or altered one
 * never verifies.
 */
export function linkSigner(secret: Buffer): LinkService {
  const mac = (body: string) => createHmac('sha256', secret).update(body).digest('base64url').slice(0, 32);
  return {
    sign(payload, expiresAt) {
      const body = Buffer.from(
        JSON.stringify(expiresAt ? { ...payload, exp: Math.floor(expiresAt.getTime() / 1000) } : payload),
      ).toString('base64url');
      return `${body}.${mac(body)}`;
    },
    verify(token, now) {
      const [body, signature, extra] = token.split('.');
      if (!body || !signature || extra !== undefined || body.length > 2000) return null;
      const want = Buffer.from(mac(body));
      const got = Buffer.from(signature);
      if (want.length !== got.length || !timingSafeEqual(want, got)) return null;
      try {
        const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<
          string,
          unknown
        >;
        if (typeof payload.exp === 'number' && payload.exp * 1000 < now.getTime()) return null;
        return payload;
      } catch {
        return null;
      }
    },
  };
}
