import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { engineClock } from './engine.ts';

export interface SignedCall {
  path: string;
  key: string;
  body: Record<string, any>;
  validSignature: boolean;
}

/**
 * A real HTTP provider (SMS gateway, webhook receiver) that checks Tend's HMAC signature, applies
 * each idempotency key once (as a deduplicating provider does), and can be told to fail.
 */
export interface SignedPeer {
  url: string;
  calls: SignedCall[];
  /** Keys the provider applied (answered 2xx to for the first time), with how often they came. */
  applied: Map<string, number>;
  /** Scripted answers for the next calls: a status, or `hang` (answer after `hangMs`). */
  script: (number | 'hang')[];
  hangMs: number;
  close(): Promise<void>;
}

export async function startSignedPeer(secret: string): Promise<SignedPeer> {
  const peer: SignedPeer = {
    url: '',
    calls: [],
    applied: new Map(),
    script: [],
    hangMs: 3000,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', async () => {
      const key = String(req.headers['idempotency-key'] ?? '');
      const call = {
        path: req.url ?? '',
        key,
        body: JSON.parse(raw || '{}'),
        validSignature: verify(secret, raw, req.headers),
      };
      peer.calls.push(call);
      const next = peer.script.shift() ?? 200;
      if (next === 'hang') await new Promise((r) => setTimeout(r, peer.hangMs));
      const status = next === 'hang' ? 200 : next;
      if (status < 300 && call.validSignature) {
        peer.applied.set(key, (peer.applied.get(key) ?? 0) + 1);
      }
      if (res.destroyed) return;
      res.writeHead(call.validSignature ? status : 401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `prov-${key.slice(-12)}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  peer.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return peer;
}

/** What a receiver does with Tend's headers: HMAC-SHA256 over `<timestamp>.<body>`. */
export function verify(secret: string, body: string, headers: IncomingHttpHeaders): boolean {
  const timestamp = String(headers['x-tend-timestamp'] ?? '');
  const got = Buffer.from(String(headers['x-tend-signature'] ?? ''));
  const want = Buffer.from(`v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`);
  return timestamp !== '' && got.length === want.length && timingSafeEqual(got, want);
}

/**
 * Signs a callback body the way a provider holding the shared secret would, at `at` (by default
 * the engine's time: a provider's clock agrees with the engine's, whatever date a test runs at).
 */
export function sign(secret: string, body: string, at = engineClock()): Record<string, string> {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  return {
    'x-tend-timestamp': timestamp,
    'x-tend-signature': `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`,
  };
}
