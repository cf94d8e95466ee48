import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe.ts';
import { browserAvailable, launchBrowser, type TestBrowser } from '../support/browser.ts';
import {
  connect,
  dropOnCanvas,
  EDITOR_WORKFLOWS,
  node,
  signIn,
  startEditorEngine,
  yamlText,
} from '../support/editor-page.ts';
import type { TestEngine } from '../support/engine.ts';
import { publish, send } from '../support/journeys.ts';

let engine: TestEngine;
let browser: TestBrowser;
let page: Page;
const pageErrors: string[] = [];

describe.runIf(browserAvailable())('the journey editor in Chromium', () => {
  beforeAll(async () => {
    engine = await startEditorEngine();
    browser = await launchBrowser(engine.url);
    page = await browser.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await engine?.stop();
  });

  it('offers to create the first admin, then lists journeys with no serious accessibility problems', async () => {
    await signIn(page);
    expect(await page.getByRole('button', { name: 'New journey' }).isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('builds a journey from an empty canvas by drag and drop, shows a bad condition on its node, and publishes it', async () => {
    await page.getByRole('button', { name: 'New journey' }).click();
    await page.getByLabel('Name').fill('Welcome new sign-ups');
    await page.getByRole('button', { name: 'Create and open' }).click();
    await page.waitForURL('**/workflows/welcome-new-sign-ups');
    await node(page, '__trigger').waitFor();
    expect(await page.locator('.react-flow__node').count()).toBe(1);

    // The trigger's form: what starts the journey.
    await page.getByLabel('Starts when').selectOption('event');
    await expect.poll(() => page.getByLabel('Event type').inputValue()).toBe('customer.signed_up');

    // trigger → send → wait → choose → two ends, each dropped from the palette below the trigger.
    const below = async (dx: number, dy: number) => {
      const pane = await page.locator('.react-flow__pane').boundingBox();
      const trigger = await node(page, '__trigger').boundingBox();
      if (!pane || !trigger) throw new Error('no canvas');
      return { x: trigger.x - pane.x + trigger.width / 2 + dx, y: trigger.y - pane.y + trigger.height + dy };
    };
    await dropOnCanvas(page, 'messaging.send', await below(0, 60));
    await dropOnCanvas(page, 'wait', await below(0, 170));
    await dropOnCanvas(page, 'choose', await below(0, 280));
    await dropOnCanvas(page, 'end', await below(-140, 400));
    await dropOnCanvas(page, 'end', await below(140, 400));
    for (const id of ['send', 'wait', 'choose', 'done', 'done-2']) await node(page, id).waitFor();
    await connect(page, 'send', 'wait');
    await connect(page, 'wait', 'choose');
    await connect(page, 'choose', 'done');
    await connect(page, 'choose', 'done-2');
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(5);

    // The send step's form comes from its JSON Schema: a required enum and a template picker.
    await node(page, 'send').click();
    const inspector = page.getByTestId('inspector');
    await inspector.getByLabel('Channel').selectOption('email');
    await inspector.getByLabel('Template').fill('we-miss-you');
    expect(
      await inspector
        .locator('datalist option')
        .evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value)),
    ).toEqual(expect.arrayContaining(['churn-survey', 'coupon', 'we-miss-you']));

    // A bad condition: the CEL field says so as it is typed, the engine puts it on the node.
    await node(page, 'choose').click();
    const when = inspector.getByTestId('when-states.choose.choose.0');
    await when.fill('customer.attributes.vip ==');
    await expect.poll(() => inspector.getByText('Cannot read this condition').count()).toBe(1);
    const issues = page.getByTestId('issues-choose');
    await expect.poll(() => issues.textContent(), { timeout: 10_000 }).toMatch(/CEL/);
    await expect.poll(() => page.getByTestId('validity').textContent()).toMatch(/1 problem/);

    // Saving an invalid journey fails and says why; the work stays.
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByTestId('save-error').waitFor();
    expect(await page.getByTestId('save-error').textContent()).toMatch(/line \d+, column \d+: CEL/);

    await when.fill('customer.attributes.vip == true');
    await issues.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('validity').textContent()).toBe('No problems');

    await page.getByRole('button', { name: 'Save and publish' }).click();
    await page.getByText('Version 1 is published').waitFor();
    const stored = await engine.api('GET', '/api/workflows/welcome-new-sign-ups');
    expect(stored.body).toMatchObject({ publishedVersion: 1, name: 'Welcome new sign-ups' });
    const yaml = (await engine.api('GET', '/api/workflows/welcome-new-sign-ups/versions/1')).body
      .yaml as string;
    expect(yaml).toContain('uses: messaging.send');
    expect(yaml).toMatch(
      /choose:\n\s+- when: customer.attributes.vip == true\n\s+next: done-2\n\s+- next: done/,
    );
  });

  it('counts a customer on the canvas after an event arrives through the API', async () => {
    await send(engine, 'c-live-1', 'customer.signed_up', { plan: 'pro' });
    await page.getByRole('button', { name: 'Live' }).click();
    await expect.poll(() => page.getByTestId('live-wait').textContent(), { timeout: 20_000 }).toBe('1');
    expect(await page.getByTestId('live-started').textContent()).toBe('1');
    // Select the state to list who is there, then open one customer's timeline.
    await node(page, 'wait').click();
    await page.getByRole('link', { name: 'c-live-1' }).waitFor();
    await page.getByRole('link', { name: 'timeline' }).click();
    await page.getByRole('heading', { name: 'Run timeline' }).waitFor();
    await page.getByText('Entered the journey').waitFor();
    await page.goBack();
  });

  it('shows every version that still has customers in flight, not only the published one', async () => {
    const v1 = (await engine.api('GET', '/api/workflows/welcome-new-sign-ups/versions/1')).body
      .yaml as string;
    expect(await publish(engine, v1.replace(/^name: .*$/m, 'name: Welcome new sign-ups (v2)'))).toBe(2);
    await page.goto('/workflows/welcome-new-sign-ups?mode=live');
    const picker = page.getByTestId('live-version');
    await expect
      .poll(() => picker.locator('option').allTextContents(), { timeout: 20_000 })
      .toEqual(['v2 (published) · 0 in flight', 'v1 · 1 in flight']);
    await picker.selectOption('1');
    await page.getByRole('heading', { name: 'Live: version 1' }).waitFor();
    await expect.poll(() => page.getByTestId('live-wait').textContent()).toBe('1');
    await page.getByText(/^Customers who entered this version finish it/).waitFor();
  });

  it('has no serious accessibility problems on the canvas, and everything works from the keyboard', async () => {
    await page.goto('/workflows/welcome-new-sign-ups');
    await node(page, 'send').waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // Focus a node with the keyboard, select it, add a step after it from the palette.
    await node(page, 'done-2').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('inspector').getByRole('heading', { name: 'State “done-2”' }).waitFor();
    await node(page, 'wait').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('inspector').getByRole('heading', { name: 'State “wait”' }).waitFor();
    await page.locator('[data-palette="tagging.add"]').focus();
    await page.keyboard.press('Enter');
    await node(page, 'add').waitFor();
    // Connect with the panel instead of a mouse: the wait now leads to the new step, which goes on to choose.
    await node(page, 'add').focus();
    await page.keyboard.press('Enter');
    const inspector = page.getByTestId('inspector');
    await inspector.getByRole('heading', { name: 'State “add”' }).waitFor();
    await inspector.getByLabel('The customer').selectOption('next');
    await inspector.getByLabel('Next state').selectOption('choose');
    await expect.poll(async () => (await yamlText(page)).includes('    next: add')).toBe(true);
    await expect
      .poll(async () =>
        (await yamlText(page)).includes('  add:\n    steps:\n      - uses: tagging.add\n    next: choose'),
      )
      .toBe(true);
    expect(await yamlText(page)).toContain('  wait:\n    wait: { for: 1d }\n    next: add');
    // Delete with the Delete key, undo with Ctrl+Z, redo with Ctrl+Shift+Z.
    await node(page, 'add').focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Delete');
    await node(page, 'add').waitFor({ state: 'detached' });
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+z');
    await node(page, 'add').waitFor();
    await page.keyboard.press('Control+Shift+z');
    await node(page, 'add').waitFor({ state: 'detached' });
    // Arrow keys move a selected node; the position is kept.
    await node(page, 'done').focus();
    await page.keyboard.press('Enter');
    const before = await node(page, 'done').boundingBox();
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    await expect
      .poll(async () => ((await node(page, 'done').boundingBox())?.x ?? 0) - (before?.x ?? 0))
      .toBeGreaterThan(10);
  });

  it('edits a commented YAML on the canvas and keeps every comment', async () => {
    const original = await readFile(path.join(EDITOR_WORKFLOWS, 'win-back.yaml'), 'utf8');
    await engine.api('POST', '/api/workflows', original, { headers: { 'content-type': 'application/yaml' } });
    await page.goto('/workflows/win-back');
    await node(page, 'offer').waitFor();
    // A visual edit: drop an end onto the canvas and connect the offer to it instead of done.
    const pane = await page.locator('.react-flow__pane').boundingBox();
    await dropOnCanvas(page, 'end', { x: (pane?.width ?? 500) - 200, y: 160 });
    await node(page, 'done-2').waitFor();
    await connect(page, 'offer', 'done-2');
    await expect.poll(async () => (await yamlText(page)).includes('next: done-2')).toBe(true);
    // Exactly the touched lines changed: the offer's next, and the new state at the end.
    const edited = await yamlText(page);
    const offer = original.indexOf('  offer:');
    const expected = `${original.slice(0, offer)}${original.slice(offer).replace('    next: done\n', '    next: done-2\n')}  done-2: { end: completed }\n`;
    expect(edited).toBe(expected);
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Saved as version 2').waitFor();
    const saved = (await engine.api('GET', '/api/workflows/win-back/versions/2')).body.yaml as string;
    expect(saved).toContain('# Win back customers who stopped buying');
    expect(saved).toContain('  done-2: { end: completed }');
  });

  it('loses nothing typed when the page reloads in the middle of editing', async () => {
    await node(page, 'hello').click();
    const template = page.getByTestId('inspector').getByLabel('Template');
    await template.fill('come-back-twenty');
    // The engine knows no such template: its error shows on the field, before anything runs.
    await page
      .getByTestId('inspector')
      .getByText(/no email template "come-back-twenty"/)
      .waitFor({ timeout: 10_000 });
    await page.reload();
    await page.getByText('Restored your unsaved changes').waitFor();
    await node(page, 'hello').click();
    expect(await page.getByTestId('inspector').getByLabel('Template').inputValue()).toBe('come-back-twenty');
    expect(await page.getByTestId('unsaved').isVisible()).toBe(true);
    // Typing in the YAML is kept too.
    await page.locator('[data-testid="yaml-editor"] .cm-content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n# typed in the YAML panel');
    await page.reload();
    await expect.poll(async () => (await yamlText(page)).includes('# typed in the YAML panel')).toBe(true);
  });

  it('switches to Simplified Chinese', async () => {
    await page.goto('/');
    await page.getByTestId('language').selectOption('zh-CN');
    await page.getByRole('heading', { name: '客户旅程' }).waitFor();
    expect(await page.getByRole('button', { name: '新建旅程' }).isVisible()).toBe(true);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.getByRole('link', { name: 'Welcome new sign-ups' }).click();
    await page.getByRole('button', { name: '保存草稿' }).waitFor();
    expect(await page.getByRole('button', { name: '预览' }).isVisible()).toBe(true);
    await page.reload();
    await page.getByRole('button', { name: '保存草稿' }).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('refuses a template name the folder does not hold, naming the closest one', async () => {
    await page.goto('/workflows/welcome-new-sign-ups');
    await page.getByTestId('language').selectOption('en');
    await node(page, 'send').click();
    const template = page.getByTestId('inspector').getByRole('combobox', { name: /^Template/ });
    await template.fill('welcom');
    await page.getByText('There is no template "welcom" in workflows/templates. Closest: welcome').waitFor();
    await template.fill('welcome');
    await expect.poll(() => page.getByText(/There is no template/).count()).toBe(0);
  });

  it('folds the side panels away for room, and fits the journey clear of the zoom controls', async () => {
    await page.goto('/workflows/welcome-new-sign-ups');
    await node(page, 'send').waitFor();
    const canvas = page.getByTestId('canvas');
    const width = async () => (await canvas.boundingBox())?.width ?? 0;
    const before = await width();
    await page.getByRole('button', { name: 'Steps', exact: true }).click();
    await page.getByRole('button', { name: 'Side panel' }).click();
    await expect.poll(width).toBeGreaterThan(before + 400);
    await page.reload();
    await node(page, 'send').waitFor();
    expect(await page.getByRole('button', { name: 'Side panel' }).getAttribute('aria-pressed')).toBe('false');
    await page.getByTestId('rf__controls').getByRole('button', { name: 'Zoom to fit' }).click();
    await page.waitForTimeout(400);
    const controls = await page.locator('.react-flow__controls').boundingBox();
    expect(controls).not.toBeNull();
    for (const box of await Promise.all(
      (await page.locator('.react-flow__node').all()).map((n) => n.boundingBox()),
    )) {
      if (!box || !controls) continue;
      const apart =
        box.x + box.width <= controls.x ||
        controls.x + controls.width <= box.x ||
        box.y + box.height <= controls.y ||
        controls.y + controls.height <= box.y;
      expect(apart, `a node at ${JSON.stringify(box)} lies under the zoom controls`).toBe(true);
    }
    await page.getByRole('button', { name: 'Steps', exact: true }).click();
    await page.getByRole('button', { name: 'Side panel' }).click();
  });

  it('shows the right badges from the first save on, and keeps a renamed state selected', async () => {
    await page.goto('/');
    await page.getByRole('button', { name: 'New journey' }).click();
    await page.getByLabel('Name').fill('Badge check');
    await page.getByRole('button', { name: 'Create and open' }).click();
    await page.waitForURL('**/workflows/badge-check');
    await node(page, '__trigger').waitFor();
    const badges = page.locator('.toolbar-title .badge:not(.good):not(.bad):not(.warn)');
    await expect.poll(() => badges.allTextContents()).toEqual(['Not published']);
    await page.getByLabel('Starts when').selectOption('event');
    const pane = await page.locator('.react-flow__pane').boundingBox();
    const trigger = await node(page, '__trigger').boundingBox();
    if (!pane || !trigger) throw new Error('no canvas');
    await dropOnCanvas(page, 'end', {
      x: trigger.x - pane.x + trigger.width / 2,
      y: trigger.y - pane.y + trigger.height + 80,
    });
    await node(page, 'done').waitFor();
    await connect(page, '__trigger', 'done');
    await expect.poll(() => page.getByTestId('validity').textContent()).toBe('No problems');
    await page.getByRole('button', { name: 'Save draft' }).click();
    // Right after the first save: a draft, not published.
    await expect.poll(() => badges.allTextContents()).toEqual(['Not published', 'Draft v1']);

    await node(page, 'done').click();
    const inspector = page.getByTestId('inspector');
    await inspector.getByRole('heading', { name: 'State “done”' }).waitFor();
    await inspector.getByLabel('Name', { exact: true }).fill('finished');
    await inspector.getByRole('button', { name: 'Rename' }).click();
    // The renamed state stays selected: its form is still open, under its new name.
    await inspector.getByRole('heading', { name: 'State “finished”' }).waitFor();
    await node(page, 'finished').waitFor();
    expect(await node(page, 'finished').getAttribute('class')).toContain('selected');
  });
});
