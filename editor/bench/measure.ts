import type { BrowserContext, Page } from 'playwright-core';

/** Creates the first admin (the benchmark's database is new) and keeps the session in the context. */
export async function signIn(context: BrowserContext, url: string): Promise<void> {
  const res = await context.request.post(`${url}/api/setup`, {
    data: { email: 'bench@example.com', password: 'a long bench passphrase' },
  });
  if (!res.ok()) throw new Error(`could not create the bench user: ${await res.text()}`);
}

/**
 * Milliseconds from the start of navigation until the canvas shows the journey: React Flow is
 * ready and its nodes are measured and painted (the next animation frame after that).
 */
export async function measureOpen(page: Page, path: string): Promise<number> {
  await page.goto(path, { waitUntil: 'commit' });
  const shown = await firstRender(page);
  // The engine validates the journey once it is open; let that finish before the next measure.
  await page.waitForLoadState('networkidle');
  return shown;
}

function firstRender(page: Page): Promise<number> {
  // A string, not a function: the TypeScript loader would wrap named inner functions in a helper
  // that does not exist in the page.
  return page.evaluate<number>(`new Promise((resolve) => {
    const check = () => {
      const nodes = document.querySelectorAll('.react-flow__node');
      if (nodes.length > 1 && nodes[0].getBoundingClientRect().width > 0) requestAnimationFrame(() => resolve(performance.now()));
      else requestAnimationFrame(check);
    };
    check();
  })`);
}

/** Frames per second while dragging the canvas for two seconds, then while zooming with the wheel. */
export async function measurePan(
  page: Page,
): Promise<{ pan: { fps: number; longFrames: number }; zoom: { fps: number; longFrames: number } }> {
  const pane = await page.locator('.react-flow__pane').boundingBox();
  if (!pane) throw new Error('no canvas');
  const cx = pane.x + pane.width / 2;
  const cy = pane.y + pane.height / 2;
  const frames = async (action: () => Promise<void>) => {
    await page.evaluate(`(() => {
      window.__frames = [];
      window.__counting = true;
      const tick = (t) => {
        window.__frames.push(t);
        if (window.__counting) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    })()`);
    const started = Date.now();
    await action();
    const seconds = (Date.now() - started) / 1000;
    const times = await page.evaluate<number[]>('window.__counting = false, window.__frames');
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? t));
    return { fps: times.length / seconds, longFrames: gaps.filter((g) => g > 50).length };
  };
  const pan = await frames(async () => {
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    const end = Date.now() + 2000;
    let i = 0;
    while (Date.now() < end) {
      const a = (i++ / 30) * Math.PI;
      await page.mouse.move(cx + Math.sin(a) * 300, cy + Math.cos(a) * 200);
    }
    await page.mouse.up();
  });
  const zoom = await frames(async () => {
    await page.mouse.move(cx, cy);
    const end = Date.now() + 2000;
    let i = 0;
    while (Date.now() < end) await page.mouse.wheel(0, i++ % 20 < 10 ? -60 : 60);
  });
  return { pan, zoom };
}
