import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/database.ts';
import { spawnEngine } from '../support/process.ts';

/*
 * The first `tend start` on code its compile cache lacks (after every update, or in a fresh
 * container) must not keep Node.js's type stripper in memory, about 21 MiB for the engine's life:
 * tend.mjs fills the cache in a process of its own first (engine/bin/warm-compile-cache.mjs). A
 * probe loaded into the processes reports the internal modules each loaded.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const STRIPPER = 'internal/deps/amaro';
let dir: string;
let probe: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tend-compile-cache-'));
  probe = path.join(dir, 'probe.mjs');
  // Writes what the process has loaded, every 100 ms and when it ends: only the process running a
  // `start` (the engine, not the warm-up it spawns) or the control below. Not on a signal of its
  // own: a listener would change how the engine stops.
  await writeFile(
    probe,
    `import { writeFileSync } from 'node:fs';
     const write = () => writeFileSync(process.env.PROBE_OUT, JSON.stringify(process.moduleLoadList));
     if (process.argv.includes('start')) {
       process.on('exit', write);
       setInterval(write, 100).unref();
     }`,
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const loadedBy = async (out: string) => JSON.parse(await readFile(out, 'utf8')) as string[];

describe.runIf(process.features.typescript)('the compile cache', () => {
  it('the probe sees the stripper load when a TypeScript module is not in the cache', async () => {
    const out = path.join(dir, 'control.json');
    const ran = spawnSync(
      process.execPath,
      ['--import', pathToFileURL(probe).href, path.join(root, 'engine/src/clock.ts'), 'start'],
      { env: { ...process.env, NODE_COMPILE_CACHE: path.join(dir, 'control-cache'), PROBE_OUT: out } },
    );
    expect(ran.status).toBe(0);
    expect((await loadedBy(out)).filter((m) => m.includes(STRIPPER))).not.toEqual([]);
  });

  it('an engine started on an empty cache runs without the stripper', async () => {
    const out = path.join(dir, 'engine.json');
    const engine = await spawnEngine(await createTestDatabase(), {
      NODE_COMPILE_CACHE: path.join(dir, 'engine-cache'),
      NODE_OPTIONS: `--import=${pathToFileURL(probe).href}`,
      PROBE_OUT: out,
    });
    // Started: whatever its start-up loaded is in the probe's file by now.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const loaded = await loadedBy(out);
    await engine.kill('SIGTERM');
    expect(loaded.length).toBeGreaterThan(100);
    expect(loaded.filter((m) => m.includes(STRIPPER))).toEqual([]);
  });
});
