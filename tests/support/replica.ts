import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.ts';

/**
 * A real primary and a real streaming replica made from it with `pg_basebackup -R`, from the
 * machine's PostgreSQL packages (Debian: `/usr/lib/postgresql/<version>/bin`). The embedded
 * PostgreSQL the other tests use ships no `pg_basebackup`.
 */
const BIN = (() => {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin', 'pg_basebackup')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : null;
})();

/** Whether PostgreSQL's server packages (with `pg_basebackup`) are installed here. */
export const replicaAvailable = () => BIN !== null;

export interface ReplicatedPostgres {
  /** The database on the primary, and the same database on the replica. */
  primaryUrl: string;
  replicaUrl: string;
  /** Stops applying WAL on the replica (it lags from now on), and starts again. */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** Waits until the replica has applied everything the primary had written when called. */
  caughtUp(): Promise<void>;
  /** Stops the replica's server (the primary goes on). */
  stopReplica(): Promise<void>;
  stop(): Promise<void>;
}

export async function startReplicatedPostgres(database = 'tend'): Promise<ReplicatedPostgres> {
  if (!BIN) throw new Error('PostgreSQL server binaries are not installed (apt-get install postgresql)');
  const dir = await mkdtemp(path.join(tmpdir(), 'tend-replica-'));
  const root = userInfo().uid === 0;
  // PostgreSQL refuses to run as root: as root its programs run as the `postgres` user.
  if (root) {
    await chmod(dir, 0o755);
    execFileSync('chown', ['-R', 'postgres', dir]);
  }
  const run = (program: string, args: string[]) => {
    const command = path.join(BIN, program);
    const r = root
      ? spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], { encoding: 'utf8' })
      : spawnSync(command, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${program} failed:\n${r.stdout}${r.stderr}`);
  };
  const primaryDir = path.join(dir, 'primary');
  const replicaDir = path.join(dir, 'replica');
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  const start = (data: string, port: number) =>
    run('pg_ctl', [
      '-D',
      data,
      '-l',
      `${data}.log`,
      '-w',
      '-o',
      `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c max_connections=100 -c fsync=off`,
      'start',
    ]);
  // --auth=trust: initdb's pg_hba.conf then also lets local replication connections in.
  run('initdb', ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C']);
  start(primaryDir, primaryPort);
  const primaryServer = `postgres://postgres@127.0.0.1:${primaryPort}`;
  await withClient(`${primaryServer}/postgres`, (c) => c.query(`CREATE DATABASE ${database}`));
  run('pg_basebackup', [
    '-h',
    '127.0.0.1',
    '-p',
    String(primaryPort),
    '-U',
    'postgres',
    '-D',
    replicaDir,
    '-R',
    '-X',
    'stream',
    '-c',
    'fast',
  ]);
  start(replicaDir, replicaPort);
  const primaryUrl = `${primaryServer}/${database}`;
  const replicaUrl = `postgres://postgres@127.0.0.1:${replicaPort}/${database}`;
  return {
    primaryUrl,
    replicaUrl,
    async pauseReplay() {
      await withClient(replicaUrl, (c) => c.query('SELECT pg_wal_replay_pause()'));
    },
    async resumeReplay() {
      await withClient(replicaUrl, (c) => c.query('SELECT pg_wal_replay_resume()'));
    },
    async caughtUp() {
      const lsn = await withClient(
        primaryUrl,
        async (c) =>
          (await c.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]?.lsn,
      );
      const deadline = Date.now() + 30_000;
      for (;;) {
        const done = await withClient(
          replicaUrl,
          async (c) =>
            (await c.query<{ ok: boolean }>('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok', [lsn]))
              .rows[0]?.ok,
        );
        if (done) return;
        if (Date.now() > deadline) throw new Error(`the replica did not reach ${lsn} within 30 s`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stopReplica() {
      run('pg_ctl', ['-D', replicaDir, '-m', 'fast', '-w', 'stop']);
    },
    async stop() {
      for (const data of [replicaDir, primaryDir]) {
        try {
          run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
        } catch {
          // Already stopped.
        }
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function withClient<T>(url: string, use: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
