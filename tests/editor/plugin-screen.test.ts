import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureEditorBuilt } from '../../scripts/editor-build.mjs';
import { seriousViolations } from '../support/axe.ts';
import { browserAvailable, launchBrowser, type TestBrowser } from '../support/browser.ts';
import { ADMIN } from '../support/editor-page.ts';
import {
  EXAMPLE_PLUGIN,
  eventually,
  startTestEngine,
  TEST_PLUGIN,
  type TestEngine,
} from '../support/engine.ts';
import { publish, runsOf, send } from '../support/journeys.ts';

/*
 * A plugin installed with TEND_PLUGINS brings its screen: the editor built for that list has it
 * in its navigation, in the viewer's language, showing what the plugin's own route answers.
 */
let engine: TestEngine;
let browser: TestBrowser;
let page: Page;
let out: string;

describe.runIf(browserAvailable())('a plugin’s screen in the editor', () => {
  beforeAll(async () => {
    const plugins = `${TEST_PLUGIN},${EXAMPLE_PLUGIN}`;
    out = await mkdtemp(path.join(tmpdir(), 'tend-editor-'));
    const before = process.env.TEND_PLUGINS;
    process.env.TEND_PLUGINS = plugins;
    try {
      expect(ensureEditorBuilt({ quiet: true, out })).toBe(true);
    } finally {
      if (before === undefined) delete process.env.TEND_PLUGINS;
      else process.env.TEND_PLUGINS = before;
    }
    engine = await startTestEngine({ TEND_PLUGINS: plugins, TEND_EDITOR_DIR: out });
    await publish(
      engine,
      `id: stamping
name: Stamping
trigger: { event: stamp.me }
start: stamp
states:
  stamp:
    steps: [ { uses: example.stamp, with: { note: "at the counter" } } ]
    end: stamped
`,
    );
    await send(engine, 'ex-9', 'stamp.me');
    await eventually(async () => (await runsOf(engine, 'ex-9', 'stamping'))[0]?.outcome === 'stamped');
    browser = await launchBrowser(engine.url);
    expect(
      (await browser.context.request.post('/api/setup', { data: { ...ADMIN, name: 'Ada' } })).status(),
    ).toBe(201);
    page = await browser.context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await engine?.stop();
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('is in the navigation and shows the plugin’s data, with no serious accessibility problems', async () => {
    await page.goto('/');
    await page.getByRole('link', { name: 'Stamps' }).click();
    await page.getByRole('heading', { name: 'Stamps' }).waitFor();
    const table = page.getByTestId('stamps');
    await expect.poll(() => table.textContent()).toContain('at the counter');
    expect(await table.textContent()).toContain('ex-9');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('speaks the viewer’s language', async () => {
    await page.getByTestId('language').selectOption('zh-CN');
    await page.getByRole('heading', { name: '盖章' }).waitFor();
    expect(await page.getByRole('link', { name: '盖章' }).isVisible()).toBe(true);
    expect(await page.getByTestId('stamps').textContent()).toContain('备注');
  });
});
