/**
 * `pnpm bench --only editor`, part (o) in the browser: what a CRM manager waits for on the large
 * base, in headless Chromium against the engine the workspace benchmark started (its URL is the
 * argument): the customers list's first page, a name search, the overview dashboard. Each is
 * measured three times from the navigation (or the click) to the frame that shows the result;
 * prints one JSON line with the medians.
 */
import type { Page } from 'playwright-core';
import { launchChromium } from '../scripts/chromium.ts';
import { signIn } from './measure.ts';

const RUNS = 3;
const SEARCH = '王';

async function main(url: string) {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ baseURL: url, viewport: { width: 1440, height: 900 } });
    await signIn(context, url);
    const page = await context.newPage();
    const list: number[] = [];
    const search: number[] = [];
    const overview: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      list.push(
        await opened(page, '/customers', `document.querySelector('[data-testid=customer-list] tbody tr')`),
      );
      search.push(await searched(page));
      overview.push(
        await opened(
          page,
          '/overview',
          `[...document.querySelectorAll('main section')].some((s) => s.querySelector('svg, canvas'))`,
        ),
      );
    }
    process.stdout.write(
      `${JSON.stringify({ customersListMs: median(list), nameSearchMs: median(search), overviewMs: median(overview) })}\n`,
    );
  } finally {
    await browser.close();
  }
}

/** Milliseconds from the start of navigation to the frame after `shown` (page JavaScript) holds. */
async function opened(page: Page, path: string, shown: string): Promise<number> {
  await page.goto(path, { waitUntil: 'commit' });
  return page.evaluate<number>(`new Promise((resolve) => {
    const check = () => (${shown}) ? requestAnimationFrame(() => resolve(performance.now())) : requestAnimationFrame(check);
    check();
  })`);
}

/** Milliseconds from pressing Find with part of a name to the frame showing the first match. */
async function searched(page: Page): Promise<number> {
  await page.getByLabel(/Name, email, phone or customer id/).fill(SEARCH);
  const answer = page.waitForResponse(
    (r) => r.url().includes('/api/customers?') && r.url().includes('name='),
  );
  const started = await page.evaluate<number>('performance.now()');
  await page.getByRole('button', { name: 'Find' }).click();
  const body = (await (await answer).json()) as { customers: { id: string; name: string | null }[] };
  const first = body.customers[0]?.name ?? body.customers[0]?.id ?? '';
  const shown = await page.evaluate<number>(`new Promise((resolve) => {
    const check = () => {
      const table = document.querySelector('[data-testid=customer-list]');
      if (table && table.textContent.includes(${JSON.stringify(first)})) requestAnimationFrame(() => resolve(performance.now()));
      else requestAnimationFrame(check);
    };
    check();
  })`);
  return shown - started;
}

const median = (values: number[]) =>
  Math.round([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0);

const url = process.argv[2];
if (!url) throw new Error('usage: workspace-render.ts <engine url>');
await main(url);
