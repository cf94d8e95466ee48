import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe.ts';
import { browserAvailable, launchBrowser, type TestBrowser } from '../support/browser.ts';
import { ADMIN, startEditorEngine } from '../support/editor-page.ts';
import { eventually, type TestEngine } from '../support/engine.ts';
import { publish } from '../support/journeys.ts';

/*
 * A customer's profile as a CRM manager reads it: the name as the title, contact details, consent
 * per channel with where it came from, stage and RFM in words; edited, exported and erased in the
 * browser, without the API.
 */
let engine: TestEngine;
let browser: TestBrowser;
let page: Page;

describe.runIf(browserAvailable())("a customer's profile in the editor", () => {
  beforeAll(async () => {
    engine = await startEditorEngine();
    await publish(
      engine,
      `id: points-per-order
name: Points per order
trigger: { event: order.placed }
entry: { reenter: always }
start: earn
states:
  earn:
    steps:
      - uses: loyalty.award
        with: { points: "{{ event.data.amount | floor }}", reason: order }
    end: earned
`,
    );
    await engine.api('PUT', '/api/customers/li-na', {
      name: '李娜',
      email: 'li.na@example.com',
      phone: '+86 138 0013 8000',
      owner: 'wu@shop.example',
      consent: { email: { status: 'granted', source: 'signup-form' } },
      tags: ['vip'],
    });
    // One order at a time: each earns its points in a run of its own.
    let balance = 0;
    for (const [i, amount] of [120, 80, 45].entries()) {
      const order = { id: `order-${i}`, customerId: 'li-na', type: 'order.placed', data: { amount } };
      expect((await engine.api('POST', '/api/events', order)).status).toBe(202);
      balance += amount;
      await eventually(async () => (await engine.api('GET', '/api/loyalty/li-na')).body.balance === balance);
    }
    await eventually(async () => (await engine.api('GET', '/api/customers/li-na')).body.rfm?.orders === 3);
    browser = await launchBrowser(engine.url);
    expect(
      (await browser.context.request.post('/api/setup', { data: { ...ADMIN, name: 'Ada' } })).status(),
    ).toBe(201);
    page = await browser.context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await engine?.stop();
  });

  it('reads as a profile: name, contact, consent with its source, stage and value in words', async () => {
    await page.goto('/customers/li-na');
    await page.getByRole('heading', { level: 1, name: /李娜/ }).waitFor();
    const contact = page.getByRole('region', { name: 'Contact' });
    expect(await contact.textContent()).toContain('li.na@example.com');
    expect(await contact.textContent()).toContain('wu@shop.example');
    const consent = page.getByRole('region', { name: 'Consent' });
    const email = consent.getByRole('row', { name: /^Email/ });
    expect(await email.textContent()).toMatch(/granted.*signup-form/);
    expect(await consent.getByRole('row', { name: /^SMS/ }).textContent()).toContain('not asked');
    // Every channel messages go out on, by its name, even those nobody has asked about yet.
    for (const channel of ['Webhook', 'WeCom', 'WeChat'])
      expect(await consent.getByRole('row', { name: new RegExp(`^${channel}`) }).textContent()).toContain(
        'not asked',
      );
    const value = page.getByRole('region', { name: 'Lifecycle and value' });
    expect(await value.textContent()).toMatch(/Orders3/);
    expect(await value.textContent()).toMatch(/Revenue245/);
    expect(await value.textContent()).toMatch(/R \d · F \d · M \d/);
    // The loyalty plugin's panel: points from the three orders.
    const points = page.getByTestId('loyalty-points');
    await expect.poll(() => points.textContent()).toMatch(/Balance245.*Earned in all245/);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('records consent the customer gave by phone, and edits the contact details', async () => {
    const consent = page.getByRole('region', { name: 'Consent' });
    await consent.getByRole('row', { name: /^SMS/ }).getByRole('button', { name: 'Grant' }).click();
    await expect
      .poll(() => consent.getByRole('row', { name: /^SMS/ }).textContent())
      .toMatch(/granted.*editor/);
    expect((await engine.api('GET', '/api/customers/li-na')).body.consent.sms).toMatchObject({
      status: 'granted',
      source: 'editor',
    });

    await page.getByRole('button', { name: 'Edit profile' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Email').fill('not an address');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('alert').waitFor();
    expect(await dialog.getByRole('alert').textContent()).toContain('is not an email address');
    await dialog.getByLabel('Email').fill('lina@shop.example');
    await dialog.getByLabel('Owner').fill('li@shop.example');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => page.getByRole('region', { name: 'Contact' }).textContent())
      .toContain('lina@shop.example');
    const stored = (await engine.api('GET', '/api/customers/li-na')).body;
    expect(stored).toMatchObject({ email: 'lina@shop.example', owner: 'li@shop.example', name: '李娜' });
  });

  it('exports the customer as a file', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export (JSON)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('customer-li-na.json');
  });

  it('speaks Chinese', async () => {
    await page.getByTestId('language').selectOption('zh-CN');
    await page.getByRole('heading', { name: '营销许可' }).waitFor();
    expect(await page.getByRole('region', { name: '生命周期与价值' }).textContent()).toContain('订单数');
    await page.getByTestId('language').selectOption('en');
  });

  it('is found in the customers list by part of the name, email, phone, RFM segment or stage', async () => {
    await engine.api('PUT', '/api/customers/zhou-jie', { name: '周杰', owner: 'wu@shop.example' });
    await page.goto('/customers');
    const list = page.getByTestId('customer-list');
    await expect.poll(() => list.textContent()).toContain('周杰');
    expect(await list.textContent()).toContain('李娜');
    const { segment } = (await engine.api('GET', '/api/customers/li-na')).body.rfm;
    await page.getByLabel('RFM segment').selectOption(segment);
    await expect.poll(() => list.getByRole('row').count()).toBe(2);
    expect(await list.textContent()).toContain('李娜');
    await page.getByLabel('RFM segment').selectOption('');
    // 李娜 has ordered (active); 周杰 has not.
    await page.getByLabel('Stage').selectOption('active');
    await expect.poll(() => list.textContent()).not.toContain('周杰');
    expect(await list.textContent()).toContain('李娜');
    await page.getByLabel('Stage').selectOption('');
    await page.getByLabel('Name, email, phone or customer id').fill('LINA@shop.example');
    await page.getByRole('button', { name: 'Find' }).click();
    await expect.poll(() => list.getByRole('row').count()).toBe(2);
    await page.getByLabel('Name, email, phone or customer id').fill('+86 138-0013-8000');
    await page.getByRole('button', { name: 'Find' }).click();
    await expect.poll(() => list.textContent()).toContain('李娜');
    await page.getByLabel('Name, email, phone or customer id').fill('nobody-here');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByText('No customer matches.').waitFor();
    // Part of a Chinese name: 李 finds 李娜 and not 周杰.
    await page.getByLabel('Name, email, phone or customer id').fill('李');
    await page.getByRole('button', { name: 'Find' }).click();
    await expect.poll(() => list.getByRole('row').count()).toBe(2);
    expect(await list.textContent()).toContain('李娜');
    // Part of a name, with a filter kept: 周 finds 周杰 only while the list is of new customers.
    await page.getByLabel('Name, email, phone or customer id').fill('周');
    await page.getByRole('button', { name: 'Find' }).click();
    await expect.poll(() => list.textContent()).toContain('周杰');
    expect(await list.getByRole('row').count()).toBe(2);
    // Everyone the search found, tagged at once (after a confirmation), with the workers' progress.
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('combobox', { name: /^Action/ }).selectOption('tag');
    await page
      .getByRole('region', { name: 'Everyone in this list' })
      .getByRole('textbox', { name: 'Tag', exact: true })
      .fill('zhou-list');
    await page.getByRole('button', { name: 'Apply to all' }).click();
    await page.getByRole('status').filter({ hasText: 'Done: 1 customers.' }).waitFor();
    expect(
      (await engine.api('GET', '/api/customers?tag=zhou-list')).body.customers.map(
        (c: { id: string }) => c.id,
      ),
    ).toEqual(['zhou-jie']);
    // A segment of the base owned by one person (li-na's RFM segment, her owner), tagged at once.
    await page.getByLabel('Name, email, phone or customer id').fill('');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByLabel('RFM segment').selectOption(segment);
    await page.getByLabel('Owner').fill('li@shop.example');
    await expect.poll(() => list.getByRole('row').count()).toBe(2);
    page.once('dialog', (d) => void d.accept());
    await page
      .getByRole('region', { name: 'Everyone in this list' })
      .getByRole('textbox', { name: 'Tag', exact: true })
      .fill('care-list');
    await page.getByRole('button', { name: 'Apply to all' }).click();
    // The bar still shows the last action's result until this one's arrives: ask the engine.
    await expect
      .poll(async () =>
        (await engine.api('GET', '/api/customers?tag=care-list')).body.customers.map(
          (c: { id: string }) => c.id,
        ),
      )
      .toEqual(['li-na']);
    await page.getByLabel('RFM segment').selectOption('');
    await page.getByLabel('Owner').fill('');
    // Rows picked by hand: only those, whatever the list holds.
    await page.getByLabel('Name, email, phone or customer id').fill('');
    await page.getByRole('button', { name: 'Find' }).click();
    await expect.poll(() => list.getByRole('row').count()).toBe(3);
    await page.getByRole('checkbox', { name: 'Pick 李娜' }).check();
    await page.getByTestId('bulk-scope').filter({ hasText: '1 picked customers' }).waitFor();
    page.once('dialog', (d) => void d.accept());
    await page
      .getByRole('region', { name: 'Everyone in this list' })
      .getByRole('textbox', { name: 'Tag', exact: true })
      .fill('picked-one');
    await page.getByRole('button', { name: 'Apply to all' }).click();
    // The bar still shows the last action's result until this one's arrives: ask the engine.
    await expect
      .poll(async () =>
        (await engine.api('GET', '/api/customers?tag=picked-one')).body.customers.map(
          (c: { id: string }) => c.id,
        ),
      )
      .toEqual(['li-na']);
    await page.getByTestId('bulk-scope').filter({ hasText: 'Everyone in this list' }).waitFor();
    await page.getByLabel('Name, email, phone or customer id').fill('周');
    await page.getByRole('button', { name: 'Find' }).click();
    await expect.poll(() => list.getByRole('row').count()).toBe(2);
    // The same selection as a CSV file (admins), built by the workers, then offered for download.
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('combobox', { name: /^Action/ }).selectOption('export');
    await page.getByRole('button', { name: 'Apply to all' }).click();
    const download = page.getByRole('link', { name: 'Download the CSV file' });
    await download.waitFor();
    expect(await download.getAttribute('href')).toMatch(/^\/api\/customers\/bulk\/[\w-]+\/export\.csv$/);
    await page.getByLabel('Stage').selectOption('active');
    await page.getByText('No customer matches.').waitFor();
    await page.getByLabel('Stage').selectOption('');
    await page.getByRole('button', { name: 'Show everyone' }).click();
    await expect.poll(() => list.textContent()).toContain('李娜');
    await page.getByLabel('Name, email, phone or customer id').fill('li-na');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByRole('heading', { level: 1, name: /李娜/ }).waitFor();
  });

  it('is erased by an admin after a confirmation', async () => {
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Erase this customer' }).click();
    await page.waitForURL('**/customers');
    expect((await engine.api('GET', '/api/customers/li-na')).status).toBe(404);
  });
});
