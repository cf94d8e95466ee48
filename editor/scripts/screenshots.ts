/**
 * `pnpm --filter @tend/editor screenshots`: starts a real engine on a fresh embedded PostgreSQL
 * with the shipped journeys (workflows/, or the realistic fixture journey when those are not
 * there), lets a few customers flow through one, and saves screenshots of the journeys list, the
 * canvas and the live view to docs/screenshots/. Re-run it whenever the editor changes.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@tend/engine/config';
import { createLogger } from '@tend/engine/logger';
import { startEmbeddedPostgres } from '@tend/engine/postgres/embedded';
import { startTend } from '@tend/engine/server/start';
import { chromium } from 'playwright-core';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = path.join(root, 'docs', 'screenshots');
const KEY = 'screenshots-admin-key-0123456789';
const PREFERRED = ['win-back', 'retain', 'develop', 'acquire'];

/** The journeys folder to show: the shipped lifecycle journeys if present, else the fixture. */
async function journeysDir(): Promise<string> {
  const shipped = path.join(root, 'workflows');
  const files = await readdir(shipped).catch(() => []);
  return files.some((f) => /\.ya?ml$/.test(f)) ? shipped : path.join(root, 'tests/fixtures/editor/workflows');
}

async function main() {
  const log = createLogger('warn');
  const data = await mkdtemp(path.join(tmpdir(), 'tend-screenshots-'));
  const pg = await startEmbeddedPostgres(data, log);
  const dir = await journeysDir();
  const config = loadConfig({
    DATABASE_URL: pg.url,
    PORT: '0',
    TEND_API_KEY: KEY,
    TEND_PLUGINS: path.join(root, 'tests/fixtures/plugins/editor-steps.ts'),
    TEND_WORKFLOWS_DIR: dir,
    TEND_LOG_LEVEL: 'error',
  });
  const tend = await startTend(config, { loadWorkflows: true, log });
  const api = (method: string, route: string, body?: unknown) =>
    fetch(`${tend.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }).then((r) => r.json() as Promise<Record<string, unknown>>);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
  try {
    const list = (await api('GET', '/api/workflows')).workflows as { id: string }[];
    const id = PREFERRED.find((p) => list.some((w) => w.id === p)) ?? list[0]?.id;
    if (!id) throw new Error(`no journey in ${dir}`);
    await flow(api, dir, id);
    const context = await browser.newContext({
      baseURL: tend.url,
      viewport: { width: 1440, height: 900 },
      deviceScaleFactor: 1,
    });
    await context.request.post('/api/setup', {
      data: { email: 'ada@example.com', name: 'Ada', password: 'a long passphrase' },
    });
    const page = await context.newPage();
    await page.goto('/');
    await page.getByRole('cell', { name: id }).waitFor();
    await page.waitForTimeout(800);
    await page.screenshot({ path: path.join(out, 'journeys.png') });
    await page.goto(`/workflows/${id}`);
    await page.locator('.react-flow__node').nth(3).waitFor();
    await page.locator('.react-flow__node').nth(2).click();
    await page.waitForTimeout(1200);
    await page.screenshot({ path: path.join(out, 'canvas.png') });
    await page.goto(`/workflows/${id}?mode=live`);
    await page.getByTestId('live-stats').waitFor();
    await page.waitForTimeout(3500);
    await page.screenshot({ path: path.join(out, 'live.png') });
    process.stdout.write(`screenshots of ${id} written to ${path.relative(root, out)}/\n`);
  } finally {
    await browser.close();
    await tend.stop();
    await pg.stop();
    await rm(data, { recursive: true, force: true });
  }
}

/** Sends customers into the journey (and some to its goal) so the live view has counts. */
async function flow(
  api: (m: string, r: string, b?: unknown) => Promise<Record<string, unknown>>,
  dir: string,
  id: string,
) {
  const files = await readdir(dir);
  let def: { trigger?: { event?: string }; exit?: { event: string }[] } = {};
  for (const f of files.filter((x) => /\.ya?ml$/.test(x))) {
    const value = parse(await readFile(path.join(dir, f), 'utf8')) as { id?: string };
    if (value?.id === id) def = value as typeof def;
  }
  const event = def.trigger?.event;
  if (!event) return;
  for (let i = 1; i <= 24; i++) {
    const customerId = `customer-${i}`;
    await api('PUT', `/api/customers/${customerId}`, {
      timezone: 'Asia/Shanghai',
      attributes: { country: 'CN', name: `Customer ${i}` },
      tags: i % 4 === 0 ? ['vip'] : [],
    });
    await api('POST', '/api/events', { customerId, type: event, data: {} });
  }
  await new Promise((r) => setTimeout(r, 1500));
  const goal = def.exit?.[0]?.event;
  if (goal)
    for (let i = 1; i <= 24; i += 3)
      await api('POST', '/api/events', { customerId: `customer-${i}`, type: goal, data: {} });
  await new Promise((r) => setTimeout(r, 1500));
}

await main();
