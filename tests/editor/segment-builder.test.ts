import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe.ts';
import { browserAvailable, type TestBrowser } from '../support/browser.ts';
import { adminBrowser, startEditorEngine } from '../support/editor-page.ts';
import { eventually, type TestEngine } from '../support/engine.ts';
import { publish, runsOf } from '../support/journeys.ts';

/*
 * A CRM manager builds a segment in the browser without writing CEL: conditions on a tag, an
 * attribute, and a group of "any of" consent or a recent order; watches the live count, saves, and
 * starts a journey for its members.
 */
let engine: TestEngine;
let browser: TestBrowser;
let page: Page;

const customers: [string, { tags?: string[]; city: string; consent?: boolean }][] = [
  ['c01', { tags: ['vip'], city: '上海', consent: true }],
  ['c02', { tags: ['vip'], city: '上海', consent: true }],
  ['c03', { tags: ['vip'], city: '上海' }], // with an order below
  ['c04', { tags: ['vip'], city: '上海' }],
  ['c05', { tags: ['vip'], city: '北京', consent: true }],
  ['c06', { city: '上海', consent: true }],
  ['c07', { city: '上海' }],
];
const EXPECTED = ['c01', 'c02', 'c03'];

describe.runIf(browserAvailable())('the segment builder', () => {
  beforeAll(async () => {
    engine = await startEditorEngine();
    for (const [id, c] of customers)
      await engine.api('PUT', `/api/customers/${id}`, {
        name: `客户 ${id}`,
        email: `${id}@shop.example`,
        tags: c.tags ?? [],
        attributes: { city: c.city },
        ...(c.consent ? { consent: { email: 'granted' } } : {}),
      });
    await engine.api('POST', '/api/events', {
      customerId: 'c03',
      type: 'order.placed',
      data: { amount: 30 },
    });
    await eventually(async () => (await engine.api('GET', '/api/customers/c03')).body.rfm?.orders === 1);
    await publish(
      engine,
      `id: vip-care
name: VIP care
trigger: { event: vip.care }
start: wait
states:
  wait:
    wait: { event: never.sent, timeout: 30d }
    on:
      never.sent: done
      timeout: done
  done: { end: completed }
`,
    );
    ({ browser, page } = await adminBrowser(engine));
  });
  afterAll(async () => {
    await browser?.close();
    await engine?.stop();
  });

  it('builds a segment from conditions; the live count equals the engine’s', async () => {
    await page.goto('/segments');
    await page.getByText('No segments yet.').waitFor();
    await page.getByRole('link', { name: 'New segment' }).click();
    await page.getByLabel('Name').fill('Shanghai VIPs');
    expect(await page.getByLabel('Id').inputValue()).toBe('shanghai-vips');
    // No condition yet: everyone.
    const count = page.getByTestId('segment-count');
    await expect.poll(() => count.textContent()).toMatch(/^7 of 7 customers match/);

    const rules = page.getByTestId('segment-rule');
    await page.getByRole('button', { name: '+ Condition' }).last().click();
    await rules.nth(0).getByLabel('Field').selectOption('tags');
    await rules.nth(0).getByLabel('Value', { exact: true }).fill('vip');
    await expect.poll(() => count.textContent()).toMatch(/^5 of 7/);

    await page.getByRole('button', { name: '+ Condition' }).last().click();
    await rules.nth(1).getByLabel('Field').selectOption('attribute');
    // Incomplete: the condition says what it lacks, and nothing is counted from it.
    await rules.nth(1).getByText('Choose what to test.').waitFor();
    await rules.nth(1).getByLabel('Attribute name').fill('city');
    await rules.nth(1).getByLabel('Value', { exact: true }).fill('上海');
    await expect.poll(() => count.textContent()).toMatch(/^4 of 7/);

    // A group joined the other way: email consent or an order in the last 90 days.
    await page.getByRole('button', { name: '+ Group (the other join)' }).click();
    await rules.nth(2).getByLabel('Field').selectOption('consent');
    await rules.nth(3).getByLabel('Field').selectOption('rfm.orders90');
    await rules.nth(3).getByLabel('Test').selectOption('>=');
    await rules.nth(3).getByLabel('Value', { exact: true }).fill('one');
    await rules.nth(3).getByText('Give a value (a number where a number is tested).').waitFor();
    await rules.nth(3).getByLabel('Value', { exact: true }).fill('1');
    await expect.poll(() => count.textContent()).toMatch(/^3 of 7 customers match/);
    const sample = page.getByRole('region', { name: 'Live count' });
    for (const id of EXPECTED) expect(await sample.textContent()).toContain(`客户 ${id}`);
    expect(await seriousViolations(page)).toEqual([]);

    // The CEL view shows what the engine evaluates; the API counts the same members.
    await page.getByRole('button', { name: 'CEL', exact: true }).click();
    const cel = await page.getByTestId('segment-cel').inputValue();
    expect(cel).toContain('"vip" in customer.tags');
    const preview = await engine.api('POST', '/api/segments/preview', { definition: cel });
    expect(preview.body.matched).toBe(3);
    expect(preview.body.sample.sort()).toEqual(EXPECTED);
    await page.getByRole('button', { name: 'Conditions' }).click();
    await expect.poll(() => rules.count()).toBe(4);

    await page.getByRole('button', { name: 'Save segment' }).click();
    await page.waitForURL('**/segments/shanghai-vips');
    await expect.poll(() => page.getByTestId('segment-members').textContent()).toMatch(/^3 members/);
    const saved = await engine.api('GET', '/api/segments/shanghai-vips');
    expect(saved.body.definition).toBe(cel);
    expect(saved.body.members).toEqual(EXPECTED);
    // Opened again, it reads as the same conditions.
    await page.reload();
    await expect.poll(() => rules.count()).toBe(4);
    expect(await rules.nth(1).getByLabel('Attribute name').inputValue()).toBe('city');
  });

  it("starts a journey for the segment's members, and lists them", async () => {
    await page.getByRole('combobox', { name: 'Journey' }).selectOption('vip-care');
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Apply to all' }).click();
    await page.getByRole('status').filter({ hasText: 'Done: 3 customers.' }).waitFor();
    for (const id of EXPECTED)
      await eventually(async () => (await runsOf(engine, id, 'vip-care')).length === 1);
    expect(await runsOf(engine, 'c04', 'vip-care')).toEqual([]);

    await page.getByRole('link', { name: 'Open its customers' }).click();
    const list = page.getByTestId('customer-list');
    await expect.poll(() => list.getByRole('row').count()).toBe(4);
    for (const id of EXPECTED) expect(await list.textContent()).toContain(`客户 ${id}`);
    await page.getByRole('button', { name: 'Show customers of every segment' }).click();
    await expect.poll(() => list.getByRole('row').count()).toBe(8);
  });

  it('keeps hand-written CEL as CEL, and speaks Chinese', async () => {
    await page.goto('/segments/new');
    await page.getByLabel('Name').fill('Big baskets');
    await page.getByRole('button', { name: 'CEL', exact: true }).click();
    await page.getByTestId('segment-cel').fill('size(customer.tags) > 0 &&');
    await page.getByText(/^Cannot read this condition/).waitFor();
    await page.getByTestId('segment-cel').fill('size(customer.tags) > 0');
    await expect.poll(() => page.getByTestId('segment-count').textContent()).toMatch(/^5 of 7/);
    await page.getByRole('button', { name: 'Conditions' }).click();
    await page.getByText(/in a form the builder cannot show/).waitFor();
    await page.getByRole('button', { name: 'Save segment' }).click();
    await page.waitForURL('**/segments/big-baskets');
    await page.getByTestId('language').selectOption('zh-CN');
    await page.getByRole('heading', { name: '实时人数' }).waitFor();
    await page.goto('/segments');
    const list = page.getByTestId('segment-list');
    await expect.poll(() => list.textContent()).toContain('Shanghai VIPs');
    expect(await list.textContent()).toContain('Big baskets');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('language').selectOption('en');
  });
});
