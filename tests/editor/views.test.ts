import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser, type TestBrowser } from '../support/browser.ts';
import { ADMIN, EDITOR_WORKFLOWS, node, startEditorEngine } from '../support/editor-page.ts';
import type { TestEngine } from '../support/engine.ts';
import { publish, send } from '../support/journeys.ts';

let engine: TestEngine;
let browser: TestBrowser;
let page: Page;
let original: string;

describe.runIf(browserAvailable())('preview, versions, lists and the other views', () => {
  beforeAll(async () => {
    engine = await startEditorEngine();
    original = await readFile(path.join(EDITOR_WORKFLOWS, 'win-back.yaml'), 'utf8');
    await publish(engine, original);
    browser = await launchBrowser(engine.url);
    const setup = await browser.context.request.post('/api/setup', { data: { ...ADMIN, name: 'Ada' } });
    expect(setup.status()).toBe(201);
    page = await browser.context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await engine?.stop();
  });

  it('previews a sample customer on a virtual clock and lights up the path', async () => {
    await page.goto('/workflows/win-back?mode=preview');
    const path = page.getByTestId('preview-path');
    await expect.poll(() => path.textContent(), { timeout: 10_000 }).toBe('hello → wait-order → ask → done');
    // The real messaging step's preview: to whom it would go (the sample customer has consented).
    expect(await page.getByTestId('preview-result').textContent()).toContain(
      'send email "we-miss-you" to m***@example.com',
    );
    // The message itself, rendered by the engine for this customer, in a sandboxed frame.
    await page.getByText('The message as this customer would get it').first().click();
    const frame = page.getByTitle('The message as this customer would get it');
    await frame.waitFor();
    expect(await frame.getAttribute('sandbox')).toBe('');
    expect(await frame.getAttribute('srcdoc')).toContain('It has been a while');
    await page.getByLabel('Has agreed to email, SMS and webhooks').uncheck();
    await expect
      .poll(() => page.getByTestId('preview-result').textContent())
      .toContain('the customer never consented to email');
    await page.getByLabel('Has agreed to email, SMS and webhooks').check();
    await page.getByRole('button', { name: 'Back to the start' }).click();
    await expect.poll(() => path.textContent()).toBe('hello → wait-order');
    await expect
      .poll(() => node(page, 'wait-order').locator('.state-node').getAttribute('class'))
      .toContain('path-current');
    await page.getByRole('button', { name: '+1 day' }).click();
    await page.getByRole('button', { name: 'Next timer' }).click();
    await expect.poll(() => path.textContent()).toBe('hello → wait-order → ask');
  });

  it('compares a draft with the published version, publishes it, and rolls back', async () => {
    // The offer now sends another template and goes to a new state; the rest is as published.
    const draft = original
      .replace('template: coupon }\n    next: done', 'template: coupon-vip }\n    next: thanks')
      .replace(
        '  converted: { end: converted }',
        '  thanks: { end: thanked }\n  converted: { end: converted }',
      );
    const saved = await engine.api('POST', '/api/workflows', draft, {
      headers: { 'content-type': 'application/yaml' },
    });
    expect(saved.body.version).toBe(2);
    await page.goto('/workflows/win-back?mode=versions');
    await page.getByLabel('Compare with the published version').check();
    await expect
      .poll(() => node(page, 'offer').locator('.state-node').getAttribute('class'))
      .toContain('diff-changed');
    expect(await node(page, 'thanks').locator('.state-node').getAttribute('class')).toContain('diff-added');
    expect(await node(page, 'wait-order').locator('.state-node').getAttribute('class')).not.toContain(
      'diff-',
    );
    await page.getByTestId('yaml-diff').waitFor();
    expect(await page.getByTestId('yaml-diff').textContent()).toContain('coupon-vip');
    await page.getByRole('button', { name: 'Publish', exact: true }).last().click();
    await expect
      .poll(async () => (await engine.api('GET', '/api/workflows/win-back')).body.publishedVersion)
      .toBe(2);
    await page.getByRole('button', { name: 'Roll back to this' }).click();
    await expect
      .poll(async () => (await engine.api('GET', '/api/workflows/win-back')).body.publishedVersion)
      .toBe(1);
  });

  it('duplicates, archives and restores journeys from the list', async () => {
    page.on('dialog', (d) => void d.accept());
    await page.goto('/');
    await page.getByRole('button', { name: 'Duplicate Win back lapsed customers' }).click();
    await page.waitForURL('**/workflows/win-back-copy');
    await node(page, 'offer').waitFor();
    const copy = await engine.api('GET', '/api/workflows/win-back-copy/versions/1');
    expect(copy.body.yaml).toContain('# Win back customers who stopped buying');
    expect(copy.body.yaml).toContain('name: Win back lapsed customers (copy)');
    await page.goto('/');
    await page.getByRole('button', { name: 'Archive Win back lapsed customers (copy)' }).click();
    await page.getByText('is archived').waitFor();
    await expect
      .poll(() => page.getByRole('link', { name: 'Win back lapsed customers (copy)' }).count())
      .toBe(0);
    await page.getByLabel('Show archived').check();
    await page.getByRole('button', { name: 'Restore' }).click();
    await page.getByText('is back').waitFor();
    expect(
      (await engine.api('GET', '/api/workflows')).body.workflows.map((w: { id: string }) => w.id),
    ).toContain('win-back-copy');
  });

  it("shows a customer's profile and journeys, the outbox and a survey's results", async () => {
    await engine.api('PUT', '/api/customers/li-lei', {
      timezone: 'Asia/Shanghai',
      attributes: { country: 'CN', name: 'Li Lei' },
    });
    await send(engine, 'li-lei', 'customer.lapsed');
    await expect
      .poll(async () => (await engine.api('GET', '/api/runs?customer=li-lei')).body.runs.length)
      .toBe(1);
    await page.goto('/customers/li-lei');
    await page.getByText('Li Lei').waitFor();
    await page.getByRole('link', { name: 'win-back v1' }).click();
    await page.getByRole('heading', { name: 'Run timeline' }).waitFor();
    // Li Lei has no email address: the outbox says the message was skipped, and why.
    await page.goto('/outbox?customer=li-lei');
    await page.getByRole('cell', { name: /skipped/ }).waitFor();
    expect(await page.getByRole('cell', { name: /skipped/ }).textContent()).toContain('no address');
    expect(await page.getByRole('cell', { name: 'Email', exact: true }).count()).toBeGreaterThan(0);
    // The channel filter offers every channel messages go out on, by name.
    expect(
      await page
        .getByRole('combobox', { name: /^Channel/ })
        .locator('option')
        .allTextContents(),
    ).toEqual(['Any channel', 'Email', 'SMS', 'Webhook', 'WeCom', 'WeChat']);
    // Filtered by reason over everyone, counted in a chart by status and reason.
    await page.getByRole('textbox', { name: 'Customer', exact: true }).fill('');
    await page.getByRole('combobox', { name: /^Reason/ }).selectOption('no_address');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.waitForURL('**/outbox?reason=no_address');
    const chart = page.getByRole('region', { name: 'Messages by status and reason' }).locator('svg');
    await expect.poll(() => chart.textContent()).toContain('skipped · no address');
    await page.getByText(/^\d+ messages match$/).waitFor();
    expect(await page.getByRole('cell', { name: /sent/ }).count()).toBe(0);
    await page.goto('/surveys');
    await page.getByRole('link', { name: 'Why did you stop buying?' }).click();
    await page.getByRole('term').filter({ hasText: 'Response rate' }).waitFor();
    await page.getByRole('heading', { name: 'Comments' }).waitFor();
    expect(await page.getByRole('link', { name: 'Download answers (CSV)' }).getAttribute('href')).toMatch(
      /\/api\/surveys\/[\w-]+\/answers\.csv$/,
    );
    expect(await page.getByText('No comments yet.').count()).toBe(1);
  });

  it('shows a message whose delivery is uncertain, and sends it again when a person says so', async () => {
    // The journey keeps quiet from 21:00 to 08:00 in the customer's zone: pick one where it is day.
    const zones = [
      'Asia/Shanghai',
      'Europe/London',
      'America/New_York',
      'Pacific/Honolulu',
      'Pacific/Kiritimati',
    ];
    const hourIn = (zone: string) =>
      Number(
        new Intl.DateTimeFormat('en-GB', { hour: 'numeric', hourCycle: 'h23', timeZone: zone }).format(
          engine.services.now(),
        ),
      );
    const timezone = zones.find((z) => hourIn(z) >= 9 && hourIn(z) < 20);
    await engine.api('PUT', '/api/customers/mei-mei', {
      email: 'mei@example.com',
      name: 'Mei Mei',
      timezone,
      attributes: { country: 'CN' },
      consent: { email: 'granted' },
    });
    await send(engine, 'mei-mei', 'customer.lapsed');
    await expect
      .poll(
        async () => (await engine.api('GET', '/api/messages?customer=mei-mei')).body.messages[0]?.status,
        {
          timeout: 15_000,
        },
      )
      .toBe('sent');
    const [message] = (await engine.api('GET', '/api/messages?customer=mei-mei')).body.messages;
    // What a crash while handing it to the provider leaves under TEND_EMAIL_UNCERTAIN=hold.
    await sql`UPDATE outbox SET status = 'uncertain', reason = 'crashed_while_sending' WHERE key = ${message.key}`.execute(
      engine.services.db,
    );
    await page.goto('/outbox?status=uncertain');
    await page.getByText(/it may have arrived/).waitFor();
    expect(await page.getByRole('cell', { name: /uncertain/ }).count()).toBe(1);
    await page.getByRole('button', { name: 'Send again' }).click();
    await page.getByRole('status').filter({ hasText: 'Done: sent' }).waitFor();
    expect((await engine.api('GET', '/api/messages?customer=mei-mei')).body.messages[0].status).toBe('sent');
  });

  it('lets a viewer look but not change anything', async () => {
    await engine.api('POST', '/api/users', {
      email: 'vic@example.com',
      role: 'viewer',
      password: 'a viewer password',
    });
    const viewer = await browser.browser.newContext({
      baseURL: engine.url,
      viewport: { width: 1600, height: 1000 },
    });
    await viewer.request.post('/api/session', {
      data: { email: 'vic@example.com', password: 'a viewer password' },
    });
    const p = await viewer.newPage();
    await p.goto('/workflows/win-back');
    await node(p, 'offer').waitFor();
    expect(await p.getByRole('button', { name: 'Save draft' }).count()).toBe(0);
    expect(await p.locator('[data-palette]').count()).toBe(0);
    await node(p, 'offer').click();
    await p.keyboard.press('Delete');
    expect(await node(p, 'offer').count()).toBe(1);
    expect(
      await p.getByTestId('inspector').getByRole('textbox', { name: 'Name' }).getAttribute('readonly'),
    ).not.toBeNull();
    await viewer.close();
  });
});
