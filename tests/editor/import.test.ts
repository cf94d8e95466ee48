import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe.ts';
import { browserAvailable, type TestBrowser } from '../support/browser.ts';
import { adminBrowser, startEditorEngine } from '../support/editor-page.ts';
import { eventually, type TestEngine } from '../support/engine.ts';

/*
 * A CRM manager imports her customers from a spreadsheet in the browser: the columns (headed in
 * Chinese) are mapped, the good rows stored, the two bad ones reported with their reasons; then
 * the sample file and a file of events.
 */
let engine: TestEngine;
let browser: TestBrowser;
let page: Page;

const CSV = `客户编号,姓名,邮箱,手机,标签,邮件授权,城市
m-1,陈静,chen.jing@shop.example,+86 139 0000 0001,vip;咖啡,同意,上海
m-2,刘洋,not-an-email,+86 139 0000 0002,,,北京
m-3,"赵, 敏",zhao@shop.example,,new,granted,广州
m-4,孙丽,sun@shop.example,,,maybe,深圳
m-5,周强,zhou@shop.example,+86 139 0000 0005,,withdrawn,上海
`;

describe.runIf(browserAvailable())('importing from the browser', () => {
  beforeAll(async () => {
    engine = await startEditorEngine();
    ({ browser, page } = await adminBrowser(engine));
  });
  afterAll(async () => {
    await browser?.close();
    await engine?.stop();
  });

  it('maps the columns, stores the good rows and reports the two bad ones', async () => {
    await page.goto('/customers');
    await page.getByRole('link', { name: 'Import…' }).click();
    await page.getByRole('heading', { name: 'Import customers or events' }).waitFor();
    await page
      .getByLabel('Customers CSV file')
      .setInputFiles({ name: 'members.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${CSV}`) });
    const mapping = page.getByTestId('import-mapping');
    await mapping.waitFor();
    expect(await page.getByText('5 rows in members.csv').count()).toBe(1);
    // Guessed from the Chinese headers; the city column becomes an attribute, renamed here.
    expect(await page.getByLabel('Where column 客户编号 goes').inputValue()).toBe('id');
    expect(await page.getByLabel('Where column 手机 goes').inputValue()).toBe('phone');
    expect(await page.getByLabel('Where column 邮件授权 goes').inputValue()).toBe('consent.email');
    await page.getByLabel('Attribute name for column 城市').fill('city');
    // Without an id column nothing can be imported.
    await page.getByLabel('Where column 客户编号 goes').selectOption('ignore');
    await page.getByText('One column must be the customer id.').waitFor();
    expect(await page.getByRole('button', { name: 'Import 5 customers' }).isDisabled()).toBe(true);
    await page.getByLabel('Where column 客户编号 goes').selectOption('id');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Import 5 customers' }).click();

    await page.getByText('Finished: 3 customers stored, 2 lines refused.').waitFor();
    const refused = page.getByTestId('import-rejected');
    const rows = await refused.getByRole('row').allTextContents();
    expect(rows.slice(1)).toEqual([
      expect.stringMatching(/^3m-2.*"not-an-email" is not an email address/),
      expect.stringMatching(/^5m-4consent\.email: "maybe" is not granted or withdrawn/),
    ]);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the refused lines (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('tend-import-rejected.csv');
    const report = await readFile((await download.path()) as string, 'utf8');
    expect(report).toContain('line,id,reason');
    expect(report).toContain('5,m-4,');

    const chen = (await engine.api('GET', '/api/customers/m-1')).body;
    expect(chen).toMatchObject({ name: '陈静', tags: ['vip', '咖啡'], attributes: { city: '上海' } });
    expect(chen.consent.email).toMatchObject({ status: 'granted', source: 'import' });
    expect((await engine.api('GET', '/api/customers/m-3')).body.name).toBe('赵, 敏');
    expect((await engine.api('GET', '/api/customers/m-5')).body.consent.email.status).toBe('withdrawn');
    for (const id of ['m-2', 'm-4'])
      expect((await engine.api('GET', `/api/customers/${id}`)).status).toBe(404);
  });

  it('offers a sample file that imports cleanly, and imports events', async () => {
    await page.getByRole('button', { name: 'Import another file' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download a sample file' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('tend-customers-sample.csv');
    const sample = await readFile((await download.path()) as string);
    await page
      .getByLabel('Customers CSV file')
      .setInputFiles({ name: 'sample.csv', mimeType: 'text/csv', buffer: sample });
    await page.getByRole('button', { name: 'Import 3 customers' }).click();
    await page.getByText('Finished: 3 customers stored, 0 lines refused.').waitFor();
    expect((await engine.api('GET', '/api/customers/c-1001')).body).toMatchObject({
      name: '李娜',
      attributes: { city: '上海', member_level: 3 },
    });

    await page.getByRole('button', { name: 'Import another file' }).click();
    await page.getByLabel('Events (NDJSON)').check();
    const events = `${[
      { id: 'order-9001', customerId: 'm-1', type: 'order.placed', data: { amount: 88 } },
      { customerId: 'm-5', type: 'store.visited', data: { store: '徐汇店' } },
    ]
      .map((e) => JSON.stringify(e))
      .join('\n')}\n{not json\n${JSON.stringify({ customerId: 'm-1', type: 'Bad Type' })}\n`;
    await page.getByLabel('Events NDJSON file').setInputFiles({
      name: 'events.ndjson',
      mimeType: 'application/x-ndjson',
      buffer: Buffer.from(events),
    });
    await page.getByRole('button', { name: 'Import 4 events' }).click();
    await page.getByText('Finished: 2 events received, 2 lines refused.').waitFor();
    const rows = await page.getByTestId('import-rejected').getByRole('row').allTextContents();
    expect(rows.slice(1)).toEqual([
      expect.stringMatching(/^3.*not JSON/),
      expect.stringMatching(/^4m-1.*type/),
    ]);
    await eventually(async () => (await engine.api('GET', '/api/customers/m-1')).body.rfm?.orders === 1);
  });

  it('finds an imported customer by a phone number written with spaces, and speaks Chinese', async () => {
    await page.goto('/customers');
    await page.getByLabel('Name, email, phone or customer id').fill('139 0000 0005');
    await page.getByRole('button', { name: 'Find' }).click();
    await expect.poll(() => page.getByTestId('customer-list').textContent()).toContain('周强');
    await page.goto('/import');
    await page.getByTestId('language').selectOption('zh-CN');
    await page.getByRole('heading', { name: '导入客户或事件' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('language').selectOption('en');
  });

  it('keeps the batch routes all-or-nothing unless asked for a partial batch', async () => {
    const bad = [
      { id: 'p-1', email: 'p1@shop.example' },
      { id: 'p-2', email: 'nope' },
      { id: 'p-1' },
      'text',
    ];
    const whole = await engine.api('POST', '/api/customers/batch', bad);
    expect(whole.status).toBe(400);
    expect((await engine.api('GET', '/api/customers/p-1')).status).toBe(404);
    const partial = await engine.api('POST', '/api/customers/batch?partial=true', bad);
    expect(partial.status).toBe(200);
    expect(partial.body).toMatchObject({ created: 1, updated: 0 });
    expect(partial.body.rejected.map((r: { index: number }) => r.index)).toEqual([1, 2, 3]);
    expect(partial.body.rejected[1].message).toContain('earlier in the same batch');
    const notArray = await engine.api('POST', '/api/events/batch?partial=true', { customerId: 'x' });
    expect(notArray.status).toBe(400);
  });
});
