import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verify } from '../support/signed-peer.ts';

/**
 * An HTTP provider for the soak: it checks Tend's signature when given a secret, and keeps every
 * call's idempotency key per customer, so the tally can tell a repeat of the same effect (same
 * key: a deduplicating provider applies it once) from a second effect (another key).
 */
export interface SoakPeer {
  url: string;
  calls: number;
  badSignatures: number;
  /** customer → key → calls */
  keys: Map<string, Map<string, number>>;
  close(): Promise<void>;
}

export async function startSoakPeer(options: { secret?: string; delayMs?: number } = {}): Promise<SoakPeer> {
  const peer: SoakPeer = {
    url: '',
    calls: 0,
    badSignatures: 0,
    keys: new Map(),
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
      peer.calls += 1;
      if (options.secret && !verify(options.secret, raw, req.headers)) {
        peer.badSignatures += 1;
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"signature"}');
        return;
      }
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(raw || '{}') as Record<string, unknown>;
      } catch {
        // counted below under an empty customer: the tally reports it
      }
      // A webhook names the customer `customerId`; the test step names it `customer`.
      const customer = String(body.customerId ?? body.customer ?? '');
      const key = String(req.headers['idempotency-key'] ?? '');
      const perCustomer = peer.keys.get(customer) ?? new Map<string, number>();
      perCustomer.set(key, (perCustomer.get(key) ?? 0) + 1);
      peer.keys.set(customer, perCustomer);
      // Answered a little later, so that some kills land between the effect and its answer.
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      if (res.destroyed) return;
      res.writeHead(200, { 'content-type': 'application/json' }).end(`{"id":"p-${peer.calls}"}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  peer.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return peer;
}
