/**
 * `pnpm --filter @tend/editor screenshots:experiments`: starts a real engine on a fresh embedded
 * PostgreSQL with a clock the script moves, publishes a journey whose split is an experiment,
 * sends simulated traffic (arms converting at 5 %, 10 % and 5 %, from a seeded generator) until
 * the experiment decides, and saves the split's inspector with its numbers in English and
 * Chinese to docs/screenshots/. Needs a built editor (`npx vite build`).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from '@tend/engine/clock';
import { loadConfig } from '@tend/engine/config';
import { seeded } from '@tend/engine/demo/random';
import { createLogger } from '@tend/engine/logger';
import { startEmbeddedPostgres } from '@tend/engine/postgres/embedded';
import { startTend } from '@tend/engine/server/start';
import { launchChromium } from './chromium.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = path.join(root, 'docs', 'screenshots');
const KEY = 'screenshots-admin-key-0123456789';
const DAY = 86_400_000;
const RATES = [0.05, 0.1, 0.05];

const JOURNEY = `id: welcome-offer
name: Welcome offer
trigger: { event: customer.signed_up }
start: offer
states:
  offer:
    split:
      - { weight: 1, next: ten-off, label: "10 % off" }
      - { weight: 1, next: free-ship, label: "Free shipping" }
      - { weight: 1, next: points, label: "Double points" }
    experiment:
      goal: { event: order.placed }
      window: 7d
      pick: auto
      holdout: 10%
  ten-off: { wait: { for: 30d }, next: done }
  free-ship: { wait: { for: 30d }, next: done }
  points: { wait: { for: 30d }, next: done }
  done: { end: completed }
`;

async function main() {
  const log = createLogger('warn');
  const pg = await startEmbeddedPostgres(await mkdtemp(path.join(tmpdir(), 'tend-screenshots-')), log);
  // The engine's clock, moved forward as the simulated traffic's days pass.
  let offset = 0;
  const now = () => systemClock(offset)();
  const config = loadConfig({
    DATABASE_URL: pg.url,
    PORT: '0',
    TEND_API_KEY: KEY,
    TEND_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    TEND_LOG_LEVEL: 'error',
  });
  const tend = await startTend(config, { log, now });
  const api = async (method: string, route: string, body?: unknown, type = 'application/json') => {
    const r = await fetch(`${tend.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${KEY}`, 'content-type': type },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    // biome-ignore lint/suspicious/noExplicitAny: the script reads a few fields of each answer
    return r.json() as Promise<Record<string, any>>;
  };
  const saved = await api('POST', '/api/workflows', JOURNEY, 'application/yaml');
  await api('POST', '/api/workflows/welcome-offer/publish', { version: saved.version });
  const rnd = seeded(2026).next;
  let round = 0;
  for (; round < 8; round++) {
    const ids = Array.from({ length: 450 }, (_, i) => `shopper-${round}-${i}`);
    await api(
      'POST',
      '/api/events/batch',
      ids.map((customerId) => ({ customerId, type: 'customer.signed_up' })),
    );
    // Once each took an arm, some order: the arm's rate.
    let arms = new Map<string, number>();
    for (let tries = 0; tries < 200 && arms.size < ids.length; tries++) {
      await new Promise((r) => setTimeout(r, 250));
      const runs = await api('GET', `/api/runs?workflow=welcome-offer&status=active&limit=1000`);
      arms = new Map(
        (runs.runs as { customerId: string; state: string }[])
          .filter((r) => r.customerId.startsWith(`shopper-${round}-`))
          .map((r) => [r.customerId, ['ten-off', 'free-ship', 'points'].indexOf(r.state)]),
      );
    }
    offset += DAY;
    const orders = [...arms].filter(([, arm]) => rnd() < (RATES[arm] ?? 0));
    await api(
      'POST',
      '/api/events/batch',
      orders.map(([customerId]) => ({ customerId, type: 'order.placed' })),
    );
    await new Promise((r) => setTimeout(r, 1000));
    offset += 7 * DAY;
    const body = await api('POST', '/api/workflows/welcome-offer/experiments/decide');
    if (body.experiments?.[0]?.decision) break;
  }
  // Customers who came after the decision: most follow the winner.
  await api(
    'POST',
    '/api/events/batch',
    Array.from({ length: 300 }, (_, i) => ({ customerId: `later-${i}`, type: 'customer.signed_up' })),
  );
  await new Promise((r) => setTimeout(r, 3000));

  const browser = await launchChromium();
  try {
    const context = await browser.newContext({
      baseURL: tend.url,
      viewport: { width: 1440, height: 1000 },
      deviceScaleFactor: 1,
    });
    await context.request.post('/api/setup', {
      data: { email: 'ada@example.com', name: 'Ada', password: 'a long passphrase' },
    });
    const page = await context.newPage();
    await page.goto('/workflows/welcome-offer');
    await page.locator('.react-flow__node', { hasText: 'offer' }).first().click();
    for (const language of ['en', 'zh-CN']) {
      await page.getByTestId('language').selectOption(language);
      await page.getByTestId('experiment-numbers').waitFor();
      await page.getByTestId('experiment-numbers').scrollIntoViewIfNeeded();
      await page.waitForTimeout(800);
      await page.screenshot({
        path: path.join(out, language === 'en' ? 'experiment.png' : 'experiment-zh.png'),
      });
    }
  } finally {
    await browser.close();
    await tend.stop();
    await pg.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
