import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Socket } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.ts';

const BINARY = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].find((p) => existsSync(p)) ?? null;

/** Whether Debian's pgbouncer is installed here (`apt-get install pgbouncer`). */
export const pgbouncerAvailable = () => BINARY !== null;

export interface Bouncer {
  /** The database's URL through PgBouncer. */
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * A real PgBouncer in transaction mode in front of one database: each transaction may run on
 * another server connection, so nothing may rely on session state (prepared statements, session
 * locks, LISTEN). PgBouncer refuses to run as root: as root it runs as the `postgres` user.
 */
export async function startPgBouncer(databaseUrl: string): Promise<Bouncer> {
  if (!BINARY) throw new Error('pgbouncer is not installed (apt-get install pgbouncer)');
  const db = new URL(databaseUrl);
  const dir = await mkdtemp(path.join(tmpdir(), 'tend-pgbouncer-'));
  const port = await freePort();
  const user = decodeURIComponent(db.username);
  const password = decodeURIComponent(db.password);
  const name = db.pathname.slice(1);
  await writeFile(path.join(dir, 'users.txt'), `"${user}" "${password}"\n`);
  await writeFile(
    path.join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `${name} = host=${db.hostname} port=${db.port} dbname=${name}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = plain',
      `auth_file = ${path.join(dir, 'users.txt')}`,
      'pool_mode = transaction',
      'max_client_conn = 500',
      'default_pool_size = 40',
      `pidfile = ${path.join(dir, 'pgbouncer.pid')}`,
      'ignore_startup_parameters = extra_float_digits',
      '',
    ].join('\n'),
  );
  const root = userInfo().uid === 0;
  if (root) {
    await chmod(dir, 0o755);
    execFileSync('chown', ['-R', 'postgres', dir]);
  }
  const args = [path.join(dir, 'pgbouncer.ini')];
  const child: ChildProcess = root
    ? spawn('runuser', ['-u', 'postgres', '--', BINARY, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (d) => (log += d));
  child.stderr?.on('data', (d) => (log += d));
  const url = `postgres://${db.username}:${db.password}@127.0.0.1:${port}/${name}`;
  const deadline = Date.now() + 10_000;
  while (!(await listening(port))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`pgbouncer did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    output: () => log,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 200));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1');
  });
}
