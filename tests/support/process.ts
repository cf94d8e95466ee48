import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENGINE_NODE_FLAGS } from '../../scripts/engine-node-flags.mjs';
import { ADMIN_KEY, LOOPBACK_ALLOWED, TEST_ENCRYPTION_KEY, TEST_PLUGIN } from './engine.ts';
import { freePort } from './free-port.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface EngineProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** Sends a signal and waits for the process to be gone. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** The port picked for an engine was taken before it listened on it. */
class PortTaken extends Error {}

/**
 * Starts `tend start` as a real OS process on the given database. The port is one that was free
 * a moment before; should another process (another test's, or an outgoing connection) take it
 * before the engine listens, the engine exits at once, and it starts again on another.
 */
export async function spawnEngine(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<EngineProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnOnce(databaseUrl, env);
    } catch (error) {
      if (!(error instanceof PortTaken) || attempt >= 3) throw error;
    }
  }
}

async function spawnOnce(databaseUrl: string, env: Record<string, string>): Promise<EngineProcess> {
  const port = await freePort();
  let log = '';
  const child = spawn(
    process.execPath,
    [...ENGINE_NODE_FLAGS, path.join(root, 'engine/bin/tend.mjs'), 'start'],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        TEND_API_KEY: ADMIN_KEY,
        TEND_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
        TEND_PLUGINS: TEST_PLUGIN,
        TEND_WORKFLOWS_DIR: path.join(root, 'tests', 'fixtures', 'no-workflows'),
        TEND_LOG_LEVEL: 'warn',
        TEND_OUTBOUND_ALLOW: LOOPBACK_ALLOWED,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (d) => (log += d));
  child.stderr?.on('data', (d) => (log += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      if (log.includes('EADDRINUSE')) throw new PortTaken(`port ${port} taken:\n${log}`);
      throw new Error(`engine exited early:\n${log}`);
    }
    // Its own word that it listens first: another process on the port would answer /health too.
    const ok =
      log.includes(`Tend is running at ${url}`) &&
      (await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      ));
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`engine did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    output: () => log,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Calls the API of an engine process with the admin key. */
export async function call(
  url: string,
  method: string,
  route: string,
  body?: unknown,
  contentType = 'application/json',
) {
  const res = await fetch(`${url}${route}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': contentType },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as any };
}
