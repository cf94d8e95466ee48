import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { launchBrowser, type TestBrowser } from './browser.ts';
import { startTestEngine, TEST_PLUGIN, type TestEngine } from './engine.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
export const EDITOR_WORKFLOWS = path.join(fixtures, 'editor', 'workflows');

/** A real engine with the shipped plugins and the fixture journeys, templates and surveys, serving the built editor. */
export function startEditorEngine(): Promise<TestEngine> {
  return startTestEngine({
    TEND_PLUGINS: TEST_PLUGIN,
    TEND_WORKFLOWS_DIR: EDITOR_WORKFLOWS,
  });
}

export const ADMIN = { email: 'ada@example.com', password: 'a long passphrase' };

/** Signs in through the page (creating the first admin when the installation has none). */
export async function signIn(page: Page): Promise<void> {
  await page.goto('/');
  const first = page.getByRole('heading', { name: 'Create the first admin' });
  const signInHeading = page.getByRole('heading', { name: 'Sign in to Tend' });
  await expect
    .poll(async () => (await first.count()) + (await signInHeading.count()), { timeout: 20_000 })
    .toBe(1);
  await page.getByLabel('Email').fill(ADMIN.email);
  if (await first.count()) {
    await page.getByLabel('Name').fill('Ada');
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create admin and sign in' }).click();
  } else {
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
  await page.getByRole('heading', { name: 'Journeys' }).waitFor();
}

export const node = (page: Page, id: string): Locator => page.locator(`.react-flow__node[data-id="${id}"]`);

/**
 * Drags a palette item onto the canvas at a point (relative to the canvas's top-left corner) and
 * waits for its node. On a machine busy enough, Chromium can lose a synthetic drag before it
 * starts (nothing is dropped, no error): the drag is made again, as a person would, at most
 * twice, and only once no node came of the last one for five seconds.
 */
export async function dropOnCanvas(page: Page, item: string, at: { x: number; y: number }): Promise<void> {
  const nodes = page.locator('.react-flow__node');
  const before = await nodes.count();
  for (let attempt = 1; ; attempt++) {
    await page.dragAndDrop(`[data-palette="${item}"]`, '.react-flow__pane', { targetPosition: at });
    try {
      await expect.poll(() => nodes.count(), { timeout: 5_000 }).toBe(before + 1);
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

/**
 * Waits until the canvas stands still: the engine's validation of the last change has come back
 * (it starts 300 ms after a change and adds or removes error lists, which resize nodes and move
 * their handles) and the node's handle stays where it is.
 */
async function settled(page: Page, handle: Locator) {
  await page.waitForTimeout(350);
  await expect
    .poll(() => page.getByTestId('validity').textContent(), { timeout: 10_000 })
    .not.toBe('Checking…');
  let before = await handle.boundingBox();
  for (let i = 0; i < 50; i++) {
    await page.waitForTimeout(100);
    const now = await handle.boundingBox();
    if (now && before && now.x === before.x && now.y === before.y) return;
    before = now;
  }
}

/**
 * Connects two nodes by dragging from one's bottom handle to the other's top handle, as a person
 * does; waits until the new edge is drawn.
 */
export async function connect(page: Page, from: string, to: string): Promise<void> {
  const source = node(page, from).locator('.react-flow__handle.source');
  const target = node(page, to).locator('.react-flow__handle.target');
  await settled(page, source);
  const a = await source.boundingBox();
  const b = await target.boundingBox();
  if (!a || !b) throw new Error(`cannot see the handles of ${from} and ${to}`);
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2 - 20, { steps: 8 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 4 });
  await page.mouse.up();
  // Attached, not visible: a straight vertical edge has no width, so it never counts as visible.
  await page
    .locator(`.react-flow__edge[aria-label="Edge from ${from} to ${to}"]`)
    .waitFor({ state: 'attached' });
}

/**
 * The YAML panel's whole text. CodeMirror draws only the lines in view, so this asks the editor
 * itself (what `EditorView.findFromDOM` does), and falls back to the drawn lines.
 */
export async function yamlText(page: Page): Promise<string> {
  return page.evaluate(() => {
    type Content = {
      cmTile?: { root?: { view?: { state: { doc: { toString(): string } } } } };
      querySelectorAll(s: string): ArrayLike<{ textContent: string | null }>;
    };
    const doc = (globalThis as unknown as { document: { querySelector(s: string): Content | null } })
      .document;
    const content = doc.querySelector('[data-testid="yaml-editor"] .cm-content');
    const view = content?.cmTile?.root?.view;
    if (view) return view.state.doc.toString();
    return Array.from(content?.querySelectorAll('.cm-line') ?? [], (l) => l.textContent ?? '').join('\n');
  });
}

/** Chromium on the engine with the first admin (Ada) created and signed in through the API, and a page. */
export async function adminBrowser(engine: TestEngine): Promise<{ browser: TestBrowser; page: Page }> {
  const browser = await launchBrowser(engine.url);
  expect(
    (await browser.context.request.post('/api/setup', { data: { ...ADMIN, name: 'Ada' } })).status(),
  ).toBe(201);
  return { browser, page: await browser.context.newPage() };
}
