import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe.ts';
import { browserAvailable, type TestBrowser } from '../support/browser.ts';
import { adminBrowser, startEditorEngine } from '../support/editor-page.ts';
import type { TestEngine } from '../support/engine.ts';

/* An admin sets the company's brand in the browser; messages read it (tests/plugins/messaging-email). */
let engine: TestEngine;
let browser: TestBrowser;
let page: Page;

describe.runIf(browserAvailable())('the brand screen', () => {
  beforeAll(async () => {
    engine = await startEditorEngine();
    ({ browser, page } = await adminBrowser(engine));
  });
  afterAll(async () => {
    await browser?.close();
    await engine?.stop();
  });

  it('saves the brand in both languages, and names a bad field', async () => {
    await page.goto('/');
    await page.getByRole('link', { name: 'Brand' }).click();
    await page.getByRole('heading', { name: 'Brand' }).waitFor();
    await page.getByLabel('Company name (Chinese)').fill('山丘咖啡');
    await page.getByLabel('Company name (English)').fill('Hillside Coffee');
    await page.getByLabel('Address (Chinese)').fill('上海市徐汇区');
    await page.getByLabel('Service phone').fill('400-820-0000');
    await page.getByLabel('Sender name (email "From")').fill('山丘咖啡');
    await page.getByLabel('Logo (https URL of an image)').fill('ftp://logo');
    await page.getByRole('button', { name: 'Save brand' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('logoUrl');
    await page.getByLabel('Logo (https URL of an image)').fill('https://hillside.example/logo.png');
    await page.getByRole('button', { name: 'Save brand' }).click();
    await page.getByText('Saved. New messages use it within a few seconds.').waitFor();
    expect((await engine.api('GET', '/api/brand')).body).toMatchObject({
      name: { en: 'Hillside Coffee', 'zh-CN': '山丘咖啡' },
      address: { en: '', 'zh-CN': '上海市徐汇区' },
      logoUrl: 'https://hillside.example/logo.png',
      senderName: '山丘咖啡',
    });
    expect(await page.getByTestId('brand-signature').textContent()).toBe(
      'Hillside Coffee · 上海市徐汇区 · 400-820-0000',
    );
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('language').selectOption('zh-CN');
    await page.getByRole('heading', { name: '品牌' }).waitFor();
    expect(await page.getByTestId('brand-signature').textContent()).toBe(
      '山丘咖啡 · 上海市徐汇区 · 400-820-0000',
    );
    await page.getByTestId('language').selectOption('en');
  });
});
