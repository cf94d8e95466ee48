import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Ports this test worker hands out, so that two workers never hand out the same one. */
const PER_WORKER = 1000;
/** Where the ports handed out start: below the ephemeral range (see freePort). */
const LOWEST = 10_000;

const worker = Number(process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? 1);
let next = 0;

/**
 * A TCP port on 127.0.0.1 that nothing listens on now, for a process about to be started to
 * listen on.
 *
 * Not one the OS picks (`listen(0)`): those come from the ephemeral range, where outgoing
 * connections take their local ports too, and one did take such a port in the second before an
 * engine started to listen on it (EADDRINUSE, in CI). Below that range, each test worker hands
 * out its own block of ports in turn, skipping any in use.
 */
export async function freePort(): Promise<number> {
  const blocks = Math.max(1, Math.floor((ephemeralLow() - LOWEST) / PER_WORKER));
  const base = LOWEST + ((worker - 1) % blocks) * PER_WORKER;
  for (let tried = 0; tried < PER_WORKER; tried++) {
    const port = base + (next++ % PER_WORKER);
    if (await listenable(port)) return port;
  }
  throw new Error(`no free port in ${base}–${base + PER_WORKER - 1}`);
}

/** The first port of the kernel's ephemeral range (Linux); elsewhere the IANA one's. */
function ephemeralLow(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  } catch {
    return 49_152;
  }
}

function listenable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
