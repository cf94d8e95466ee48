import type { Browser, BrowserContext } from 'playwright-core';
import { CHROMIUM, launchChromium } from '../../editor/scripts/chromium.ts';

/**
 * Whether browser tests can run. With TEND_REQUIRE_BROWSER=1 (CI) a missing Chromium is an
 * error, not a reason to skip.
 */
export function browserAvailable(): boolean {
  if (CHROMIUM) return true;
  if (process.env.TEND_REQUIRE_BROWSER === '1') {
    throw new Error('TEND_REQUIRE_BROWSER=1 but Chromium is missing: apt-get install -y chromium');
  }
  process.stderr.write(
    '\nSkipping browser tests: no Chromium at /usr/bin/chromium (apt-get install -y chromium)\n',
  );
  return false;
}

export interface TestBrowser {
  browser: Browser;
  context: BrowserContext;
  close(): Promise<void>;
}

/** A headless Chromium (playwright gives each launch a fresh temporary profile). */
export async function launchBrowser(baseURL: string): Promise<TestBrowser> {
  const browser = await launchChromium();
  const context = await browser.newContext({
    baseURL,
    viewport: { width: 1600, height: 1000 },
    locale: 'en-US',
  });
  return {
    browser,
    context,
    async close() {
      await context.close().catch(() => {});
      await browser.close().catch(() => {});
    },
  };
}
