/**
 * `pnpm bench` (editor part): opens generated 500- and 1,000-state journeys in headless Chromium
 * against a real engine and reports the time to first render and the frame rate while panning
 * and zooming. Writes bench-results/editor.json.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@tend/engine/config';
import { createLogger } from '@tend/engine/logger';
import { startEmbeddedPostgres } from '@tend/engine/postgres/embedded';
import { startTend } from '@tend/engine/server/start';
import { launchChromium } from '../scripts/chromium.ts';
import { generateJourney } from './generate.ts';
import { measureOpen, measurePan, signIn } from './measure.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SIZES = [500, 1000];
const RUNS = 3;
const ADMIN_KEY = 'bench-admin-key-0123456789';

async function main() {
  const log = createLogger('warn');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tend-editor-bench-'));
  const embedded = process.env.DATABASE_URL ? null : await startEmbeddedPostgres(dataDir, log);
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: process.env.DATABASE_URL ?? (embedded?.url as string),
    PORT: '0',
    TEND_API_KEY: ADMIN_KEY,
    TEND_DATA_DIR: dataDir,
    // The fixtures' templates: publishing checks that every template a journey names exists.
    TEND_WORKFLOWS_DIR: path.join(root, 'tests/fixtures/editor/workflows'),
    TEND_WORKERS: 'false',
    TEND_LOG_LEVEL: 'warn',
  });
  const tend = await startTend(config, { log });
  const browser = await launchChromium();
  const results: Record<string, unknown>[] = [];
  try {
    const tag = Date.now().toString(36);
    for (const size of SIZES) {
      const id = `bench-${size}-${tag}`;
      const res = await fetch(`${tend.url}/api/workflows`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/yaml' },
        body: generateJourney(id, size),
      });
      if (!res.ok) throw new Error(`the generated journey is not valid: ${await res.text()}`);
    }
    const context = await browser.newContext({ baseURL: tend.url, viewport: { width: 1600, height: 1000 } });
    await signIn(context, tend.url);
    for (const size of SIZES) {
      const id = `bench-${size}-${tag}`;
      const opens: number[] = [];
      let pan = { fps: 0, longFrames: 0 };
      let zoom = { fps: 0, longFrames: 0 };
      for (let run = 0; run < RUNS; run++) {
        const page = await context.newPage();
        opens.push(await measureOpen(page, `/workflows/${id}`));
        if (run === RUNS - 1) ({ pan, zoom } = await measurePan(page));
        await page.close();
      }
      opens.sort((a, b) => a - b);
      results.push({
        states: size,
        firstRenderMs: { median: opens[Math.floor(RUNS / 2)], runs: opens },
        pan,
        zoom,
      });
      process.stderr.write(`${size} states measured\n`);
    }
  } finally {
    await browser.close();
    await tend.stop();
    await embedded?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  print(results);
  await mkdir(path.join(root, 'bench-results'), { recursive: true });
  await writeFile(
    path.join(root, 'bench-results', 'editor.json'),
    `${JSON.stringify({ at: new Date().toISOString(), results }, null, 2)}\n`,
  );
}

function print(results: Record<string, unknown>[]) {
  const rows = results.map((r) => {
    const f = r.firstRenderMs as { median: number };
    const p = r.pan as { fps: number; longFrames: number };
    const z = r.zoom as { fps: number; longFrames: number };
    return `| ${String(r.states).padStart(6)} | ${String(Math.round(f.median)).padStart(15)} | ${p.fps.toFixed(0).padStart(7)} | ${z.fps.toFixed(0).padStart(8)} | ${String(p.longFrames + z.longFrames).padStart(17)} |`;
  });
  process.stdout.write(
    [
      '',
      '| states | first render ms | pan fps | zoom fps | frames over 50 ms |',
      '| -----: | --------------: | ------: | -------: | ----------------: |',
      ...rows,
      '',
    ].join('\n'),
  );
}

await main();
