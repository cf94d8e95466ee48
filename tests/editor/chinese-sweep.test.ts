import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../editor/src/i18n/en.ts';
import { PARTS } from '../../editor/src/i18n/parts/index.ts';
import { zhCN } from '../../editor/src/i18n/zh-cn.ts';
import { TEXT as complaints } from '../../plugins/complaints/src/editor/texts.ts';
import { TEXT as loyalty } from '../../plugins/loyalty/src/editor/texts.ts';
import { TEXT as messaging } from '../../plugins/messaging/src/editor/texts.ts';
import { TEXT as referrals } from '../../plugins/referrals/src/editor/texts.ts';
import { TEXT as surveys } from '../../plugins/surveys/src/editor/texts.ts';
import { TEXT as tasks } from '../../plugins/tasks/src/editor/texts.ts';
import { seriousViolations } from '../support/axe.ts';
import { browserAvailable, launchBrowser, type TestBrowser } from '../support/browser.ts';
import { ADMIN, EDITOR_WORKFLOWS, node, startEditorEngine } from '../support/editor-page.ts';
import type { TestEngine } from '../support/engine.ts';
import { publish, send } from '../support/journeys.ts';

/*
 * Every screen in 简体中文: no English text of the editor's or the plugins' dictionaries may
 * show on a page a Chinese-speaking CRM manager opens. The dictionaries are the truth of what is
 * a text of the interface (customer data, journey names and ids stay as they were written).
 */
let engine: TestEngine;
let browser: TestBrowser;
let page: Page;

/** The English texts that have a different Chinese text, as a line of the page would show them. */
function englishTexts(): Set<string> {
  const out = new Set<string>();
  const add = (english: string, chinese: string | undefined) => {
    if (!chinese || english === chinese || english.includes('{') || !/[a-z]{2}/i.test(english)) return;
    // Short words (ID, OK, RFM) may well stay as they are in Chinese text.
    if (english.length >= 4) out.add(english.trim());
  };
  for (const [key, text] of Object.entries(en)) add(text, (zhCN as Record<string, string>)[key]);
  for (const part of Object.values(PARTS) as {
    en: Record<string, string>;
    'zh-CN': Record<string, string>;
  }[])
    for (const [key, text] of Object.entries(part.en)) add(text, part['zh-CN'][key]);
  for (const dictionary of [complaints, loyalty, messaging, referrals, surveys, tasks] as Record<
    string,
    { en: string; 'zh-CN': string }
  >[])
    for (const text of Object.values(dictionary)) add(text.en, text['zh-CN']);
  return out;
}

/** The page's visible lines (and controls' labels) that are English texts of the interface. */
async function english(p: Page, texts: Set<string>): Promise<string[]> {
  // A string, run in the page: the tests are compiled without the DOM's types.
  const lines = (await p.evaluate(`(() => {
    const shown = document.body.innerText.split('\\n').map((l) => l.trim());
    const labels = [...document.querySelectorAll('[aria-label],[placeholder],[title]')].flatMap((e) => [
      e.getAttribute('aria-label') || '',
      e.getAttribute('placeholder') || '',
      e.getAttribute('title') || '',
    ]);
    return [...shown, ...labels].filter(Boolean);
  })()`)) as string[];
  return [...new Set(lines.filter((l) => texts.has(l)))];
}

describe.runIf(browserAvailable())('the editor in 简体中文', () => {
  beforeAll(async () => {
    engine = await startEditorEngine();
    const { readFile } = await import('node:fs/promises');
    const path = await import('node:path');
    await publish(engine, await readFile(path.join(EDITOR_WORKFLOWS, 'win-back.yaml'), 'utf8'));
    await engine.api('PUT', '/api/customers/li-na', {
      name: '李娜',
      email: 'lina@shop.example',
      timezone: 'Asia/Shanghai',
      locale: 'zh-CN',
      owner: 'ada@example.com',
      consent: { email: 'granted' },
    });
    await send(engine, 'li-na', 'customer.lapsed');
    browser = await launchBrowser(engine.url);
    expect(
      (await browser.context.request.post('/api/setup', { data: { ...ADMIN, name: 'Ada' } })).status(),
    ).toBe(201);
    await browser.context.addInitScript(() => localStorage.setItem('tend.lang', 'zh-CN'));
    page = await browser.context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await engine?.stop();
  });

  it('shows no English text of the interface on any screen', async () => {
    const texts = englishTexts();
    expect(texts.size).toBeGreaterThan(300);
    const found: Record<string, string[]> = {};
    const violations: Record<string, unknown[]> = {};
    const look = async (where: string, ready: () => Promise<unknown>) => {
      await ready();
      await page.waitForTimeout(400);
      const hits = await english(page, texts);
      if (hits.length > 0) found[where] = hits;
      // And each screen passes axe-core without serious or critical violations.
      const serious = await seriousViolations(page);
      if (serious.length > 0) violations[where] = serious;
    };
    await page.goto('/');
    await look('journeys', () => page.getByRole('heading', { name: '客户旅程' }).first().waitFor());
    await page.goto('/workflows/win-back');
    await look('canvas', () => node(page, 'offer').waitFor());
    await node(page, 'offer').click();
    await look('a step form', () => page.waitForTimeout(300));
    await page.goto('/workflows/win-back?mode=live');
    await look('live view', () => page.waitForTimeout(500));
    await page.goto('/workflows/win-back?mode=preview');
    await look('preview', () => page.getByTestId('preview-path').waitFor());
    await page.goto('/overview');
    await look('overview', () => page.getByRole('heading', { name: '概览' }).waitFor());
    await page.goto('/customers');
    await look('customers', () => page.getByTestId('customer-list').waitFor());
    await page.goto('/customers/li-na');
    await look('profile', () => page.getByRole('heading', { level: 1, name: /李娜/ }).waitFor());
    await engine.api('POST', '/api/segments', {
      id: 'vip-shanghai',
      name: 'VIP 上海',
      definition:
        '"vip" in customer.tags && (customer.attributes.city == "上海" || ("email" in customer.consent && customer.consent.email.status == "granted"))',
    });
    await page.goto('/segments');
    await look('segments', () => page.getByTestId('segment-list').waitFor());
    await page.goto('/segments/vip-shanghai');
    await look('segment builder', () => page.getByTestId('segment-count').waitFor());
    await page.goto('/import');
    await page.locator('input[type=file]').setInputFiles({
      name: 'members.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('id,姓名,city\nx-1,李雷,上海\n'),
    });
    await look('import', () => page.getByTestId('import-mapping').waitFor());
    await page.goto('/brand');
    await look('brand', () => page.getByTestId('brand-signature').waitFor());
    await page.goto('/outbox');
    await look('outbox', () => page.getByRole('heading', { name: '发件箱' }).waitFor());
    await page.goto('/surveys');
    await look('surveys', () => page.getByRole('heading', { name: '问卷' }).waitFor());
    await page.goto('/tasks');
    await look('tasks', () => page.getByRole('heading', { level: 1 }).waitFor());
    await page.goto('/complaints');
    await look('complaints', () => page.getByRole('heading', { level: 1 }).waitFor());
    expect(found).toEqual({});
    expect(violations).toEqual({});
    // The sweep sees English when there is some: a text left untranslated on this page is found.
    await page.evaluate(
      `document.querySelector('main').append(Object.assign(document.createElement('p'), { textContent: 'Show more' }))`,
    );
    expect(await english(page, texts)).toEqual(['Show more']);
  });
});
