import net from 'node:net';
import pg from 'pg';

/**
 * PostgreSQL a network hop away (the benchmark's `--network-ms`, and the test that counts the
 * engine's round trips, tests/engine/pipeline.test.ts): a TCP proxy that holds every chunk
 * `delayMs` on its way, in each direction, in order. On one machine a round trip costs a few
 * tenths of a millisecond; in most installations PostgreSQL is on another host, and every
 * round trip the engine waits for costs more. Node's timers count whole milliseconds: a delay
 * under 1 ms is 1 ms.
 */
export async function networkHop(databaseUrl: string, delayMs: number) {
  const target = new URL(databaseUrl);
  const socketDir = target.searchParams.get('host');
  const port = Number(target.port || 5432);
  const connect = () =>
    socketDir ? net.connect({ path: `${socketDir}/.s.PGSQL.${port}` }) : net.connect(port, target.hostname);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = connect();
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.setNoDelay(true);
    }
    const hold = (from: net.Socket, to: net.Socket) =>
      from.on('data', (chunk) => setTimeout(() => to.write(chunk), delayMs));
    hold(client, upstream);
    hold(upstream, client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    for (const s of [client, upstream]) s.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(databaseUrl);
  url.searchParams.delete('host');
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as net.AddressInfo).port);
  return {
    url: url.toString(),
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A round trip through `url`, in ms: the median of `n` `SELECT 1` back to back. */
export async function roundTripMs(url: string, n = 200): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const started = performance.now();
      await client.query('SELECT 1');
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return Math.round((times[Math.floor(n / 2)] ?? 0) * 100) / 100;
  } finally {
    await client.end();
  }
}
