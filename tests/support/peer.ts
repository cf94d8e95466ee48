import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP peer standing in for a provider: it counts every call, and every distinct
 * idempotency key, the way a provider that deduplicates would.
 */
export interface RecordingPeer {
  url: string;
  calls: number;
  keys: Map<string, number>;
  /** Calls per sending process (the body's `pid`). */
  pids: Map<number, number>;
  /** Answer the next `n` calls with this status. */
  failNext(n: number, status: number): void;
  close(): Promise<void>;
}

export async function startPeer(): Promise<RecordingPeer> {
  const keys = new Map<string, number>();
  let failures = 0;
  let failStatus = 500;
  const peer: RecordingPeer = {
    url: '',
    calls: 0,
    keys,
    pids: new Map(),
    failNext(n, status) {
      failures = n;
      failStatus = status;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      peer.calls += 1;
      if (failures > 0) {
        failures -= 1;
        res.writeHead(failStatus).end();
        return;
      }
      const pid = Number((JSON.parse(body || '{}') as { pid?: number }).pid ?? 0);
      peer.pids.set(pid, (peer.pids.get(pid) ?? 0) + 1);
      const key = String(req.headers['idempotency-key'] ?? body);
      keys.set(key, (keys.get(key) ?? 0) + 1);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  peer.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/record`;
  return peer;
}
