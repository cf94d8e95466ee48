import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); playwright-core drives it, nothing is downloaded. */
export const CHROMIUM =
  process.env.CHROMIUM ??
  ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p)) ??
  null;

/**
 * A headless Chromium for the browser tests, the benchmark and the screenshots, with the flags a
 * shared machine needs (no sandbox as root, no GPU, no background traffic). Playwright gives each
 * launch a fresh temporary profile.
 */
export function launchChromium(): Promise<Browser> {
  if (!CHROMIUM) throw new Error('no Chromium at /usr/bin/chromium: apt-get install -y chromium');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
