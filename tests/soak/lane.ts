import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ADMIN_KEY } from '../support/engine.ts';
import { freePort } from '../support/free-port.ts';
import { startTree } from './process-tree.ts';

/**
 * One Tend installation of the soak, with its own embedded PostgreSQL: started as a user starts
 * it, fed waves of customers, and killed whole (every process of its tree) again and again.
 */
export interface LaneOptions {
  name: string;
  root: string;
  kills: number;
  wave: number;
  env: Record<string, string>;
  recordUrl: string;
  onKill: (lane: string, kill: number, processes: number, during: 'start' | 'work') => void;
}

export interface LaneResult {
  name: string;
  databaseUrl: string;
  /** Starts that ended before Tend was ready (each a finding), with the end of their output. */
  failedStarts: string[];
  /** Customers whose event the engine acknowledged (202). */
  accepted: string[];
  kills: number;
  killedDuringStart: number;
  processesKilled: number;
  /** The engine that runs after the last kill; the caller stops it. */
  stop: () => Promise<number>;
}

export async function runLane(options: LaneOptions): Promise<LaneResult> {
  const dataDir = await mkdtemp(path.join(tmpdir(), `tend-soak-${options.name}-`));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = { ...options.env, TEND_DATA_DIR: dataDir, PORT: String(port) };
  const start = () => startTree([process.execPath, 'scripts/run.mjs', 'start'], env, options.root);

  const accepted: string[] = [];
  // Customers sent whose answer never came (the engine died): sent again with the same ids.
  let pending: string[] = [];
  let next = 0;
  let killedDuringStart = 0;
  const failedStarts: string[] = [];
  let processesKilled = 0;
  const feed = async () => {
    if (pending.length === 0) {
      pending = Array.from({ length: options.wave }, () => `${options.name}-${next++}`);
    }
    const ids = pending;
    const customers = ids.map((id) => ({
      id,
      email: `${id}@soak.example`,
      consent: { email: 'granted', webhook: 'granted' },
    }));
    const events = ids.map((id) => ({
      id: `go-${id}`,
      customerId: id,
      type: 'soak.start',
      data: { recordUrl: options.recordUrl },
    }));
    if ((await api(url, '/api/customers/batch', customers)) !== 200) return;
    // Half the wave in one batch, half one event per request, as most integrations send them: a
    // batch is dispatched through a dispatch job, an event sent alone by the process that took it
    // (under a watch job while its steps run). A wave with any answer missing is sent again whole.
    const half = Math.ceil(events.length / 2);
    const answers = await Promise.all([
      api(url, '/api/events/batch', events.slice(0, half)),
      ...events.slice(half).map((event) => api(url, '/api/events', event)),
    ]);
    if (answers.some((status) => status !== 202)) return;
    accepted.push(...ids);
    pending = [];
  };

  for (let kill = 0; kill < options.kills; kill++) {
    const tree = start();
    const spawned = Date.now();
    // Most kills land while the engine works; some while it starts (PostgreSQL recovering,
    // migrations checked, workers starting).
    const duringStart = Math.random() < 0.15;
    let killAt = duringStart ? spawned + Math.random() * 3000 : Number.POSITIVE_INFINITY;
    let failed = false;
    while (Date.now() < killAt) {
      if (await healthy(url)) {
        if (killAt === Number.POSITIVE_INFINITY) killAt = Date.now() + Math.random() * 2500;
        await feed().catch(() => undefined);
        await sleep(Math.max(0, Math.min(500, killAt - Date.now())));
      } else {
        if (tree.root.exitCode !== null) {
          // A start that failed is reported, and Tend started again, as its operator would.
          failedStarts.push(tree.output().slice(-2000));
          if (failedStarts.length > 20)
            throw new Error(`${options.name}: Tend keeps failing to start:\n${tree.output()}`);
          failed = true;
          break;
        }
        if (Date.now() - spawned > 120_000)
          throw new Error(`${options.name}: Tend did not start:\n${tree.output()}`);
        await sleep(50);
      }
    }
    const killed = await tree.killAll();
    if (failed) {
      // Not a kill: the same kill is tried again on the next start.
      kill -= 1;
      continue;
    }
    processesKilled += killed;
    const during = killAt - spawned < 3000 && duringStart ? 'start' : 'work';
    if (during === 'start') killedDuringStart += 1;
    options.onKill(options.name, kill + 1, killed, during);
  }

  // The last start: it runs until everything is done.
  const last = start();
  const deadline = Date.now() + 120_000;
  while (!(await healthy(url))) {
    if (Date.now() > deadline) throw new Error(`${options.name}: Tend did not start:\n${last.output()}`);
    await sleep(100);
  }
  while (pending.length > 0) await feed();
  const saved = JSON.parse(await readFile(path.join(dataDir, 'postgres.json'), 'utf8')) as {
    port: number;
    password: string;
  };
  return {
    name: options.name,
    databaseUrl: `postgres://postgres:${encodeURIComponent(saved.password)}@127.0.0.1:${saved.port}/tend`,
    accepted,
    failedStarts,
    kills: options.kills,
    killedDuringStart,
    processesKilled,
    stop: () => last.killAll(),
  };
}

async function healthy(url: string): Promise<boolean> {
  return fetch(`${url}/ready`, { signal: AbortSignal.timeout(2000) }).then(
    (r) => r.ok,
    () => false,
  );
}

async function api(url: string, route: string, body: unknown): Promise<number> {
  const res = await fetch(`${url}${route}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  await res.arrayBuffer();
  return res.status;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
