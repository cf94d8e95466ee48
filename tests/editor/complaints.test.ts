import { readFileSync } from 'node:fs';
import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe.ts';
import { browserAvailable, launchBrowser, type TestBrowser } from '../support/browser.ts';
import { ADMIN } from '../support/editor-page.ts';
import { eventually, startTestEngine, TestClock, type TestEngine } from '../support/engine.ts';
import { publish, waitForRun } from '../support/journeys.ts';
import { type SmtpPeer, startSmtpPeer } from '../support/smtp-peer.ts';

/*
 * The service desk end to end, as people do it: a customer complains on the hosted form from a
 * phone; the journey answers at once; the owner acknowledges and resolves it in the editor; the
 * customer gets the CSAT survey by mail and answers; the month's figures count it. A second
 * complaint left alone escalates at its deadline (the engine's clock moved by the test) and the
 * team lead finds it in their inbox.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let engine: TestEngine;
let smtp: SmtpPeer;
// Wednesday 10:00 in Shanghai: inside the team's working hours.
const clock = new TestClock('2026-12-02T02:00:00Z');
const ZHANG = { email: 'zhang@shop.example', password: 'a long passphrase 4', role: 'staff', name: 'Zhang' };
let browser: TestBrowser;
/** The admin's page (the overview), and the complaint owner's: a staff member. */
let admin: Page;
let mei: Page;
const MEI = { email: 'mei@shop.example', password: 'a long passphrase 3', role: 'staff', name: 'Mei' };

const mailsTo = (address: string) => smtp.mails.filter((m) => JSON.stringify(m.to).includes(address));

describe.runIf(browserAvailable())('complaints in the browser', () => {
  beforeAll(async () => {
    smtp = await startSmtpPeer();
    // The shipped journeys and templates, with a policy whose team names these people.
    const folder = await mkdtemp(path.join(tmpdir(), 'tend-complaints-'));
    await cp(path.join(root, 'workflows'), folder, { recursive: true });
    await writeFile(
      path.join(folder, 'service', 'complaints.yaml'),
      [
        'teams:',
        '  - id: east',
        '    zone: Asia/Shanghai',
        '    hours: { days: [mon, tue, wed, thu, fri], from: "09:00", to: "18:00" }',
        `    members: [${MEI.email}]`,
        `    lead: ${ZHANG.email}`,
        '',
      ].join('\n'),
    );
    engine = await startTestEngine(
      {
        SMTP_URL: smtp.url,
        TEND_WORKFLOWS_DIR: folder,
        TEND_TIMEZONE: 'Asia/Shanghai',
        TEND_BACKGROUND_INTERVAL_SECONDS: '1',
      },
      { clock },
    );
    await publish(engine, readFileSync(path.join(root, 'workflows', 'service-complaint.yaml'), 'utf8'));
    await engine.api('PUT', '/api/customers/li-na', {
      name: '李娜',
      email: 'li.na@example.com',
      owner: MEI.email,
      locale: 'zh-CN',
      consent: { email: 'granted' },
    });
    browser = await launchBrowser(engine.url);
    expect(
      (await browser.context.request.post('/api/setup', { data: { ...ADMIN, name: 'Ada' } })).status(),
    ).toBe(201);
    admin = await browser.context.newPage();
    expect((await engine.api('POST', '/api/users', MEI)).status).toBe(201);
    expect((await engine.api('POST', '/api/users', { ...ZHANG, team: 'east', teamLead: true })).status).toBe(
      201,
    );
    // Someone else's customer and complaint, which Mei must not see.
    await engine.api('PUT', '/api/customers/wang', { name: '王芳', owner: ADMIN.email });
    const other = await engine.api('POST', '/api/complaints', {
      customerId: 'wang',
      category: 'service',
      description: '店员没有回复我的消息',
    });
    expect(other.status).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
    await engine?.stop();
    await smtp?.close();
  });

  it('a customer files a complaint on a phone; the journey answers at once', async () => {
    const { url } = (await engine.api('GET', '/api/complaints/form-link?customer=li-na')).body;
    const phone = await browser.browser.newContext({
      viewport: { width: 375, height: 740 },
      isMobile: true,
      hasTouch: true,
    });
    try {
      const page = await phone.newPage();
      await page.goto(url);
      await page.getByRole('heading', { name: '告诉我们哪里出了问题' }).waitFor();
      // Fits the phone: nothing to scroll sideways.
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByLabel('投诉类别').selectOption({ label: '配送' });
      await page.getByText('紧急').tap();
      await page.getByLabel('发生了什么？').fill('快递送到时包装破损，咖啡豆撒了一半。');
      // A person takes a few seconds; the form refuses what is sent back at once.
      // (The engine's clock, which the form's check reads, moves with the test.)
      clock.advance(5_000);
      await page.getByRole('button', { name: '提交投诉' }).tap();
      await page.getByText('谢谢，我们已收到您的投诉').waitFor();
      const reference = await page.locator('[data-reference]').textContent();
      expect(reference).toMatch(/^[0-9A-F]{8}$/);
      const receipt = await eventually(async () =>
        mailsTo('li.na@example.com').find((m) => m.subject?.includes('投诉')),
      );
      expect(receipt.subject).toContain(reference);
    } finally {
      await phone.close();
    }
  });

  it('its owner, a staff member, finds the task in the inbox, acknowledges and resolves it', async () => {
    const context = await browser.browser.newContext({
      baseURL: engine.url,
      viewport: { width: 1280, height: 900 },
    });
    mei = await context.newPage();
    await mei.goto('/');
    await mei.getByLabel('Email').fill(MEI.email);
    await mei.getByLabel('Password').fill(MEI.password);
    await mei.getByRole('button', { name: 'Sign in' }).click();
    // Staff start at their tasks; journeys, the outbox and the overview are not theirs to see.
    await mei.getByRole('heading', { name: 'My tasks' }).waitFor();
    const nav = await mei.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
    expect(nav).toEqual(['Customers', 'Tasks', 'Complaints']);
    // The journey's task for the complaint, due within hours: in "Due today" or "Upcoming".
    const [complaint] = (await engine.api('GET', '/api/complaints?customer=li-na')).body.complaints;
    const taskTitle = new RegExp(`Complaint ${complaint.reference}`);
    await expect
      .poll(async () => {
        for (const tab of ['Due today', 'Upcoming']) {
          await mei.getByRole('tab', { name: new RegExp(tab) }).click();
          if ((await mei.getByRole('row', { name: taskTitle }).count()) > 0) return true;
        }
        return false;
      })
      .toBe(true);
    expect(await seriousViolations(mei)).toEqual([]);

    await mei.getByRole('link', { name: 'Complaints' }).click();
    await mei.getByRole('heading', { name: 'Complaints', level: 1 }).waitFor();
    const row = mei.getByRole('row', { name: /包装破损/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('urgent');
    // Only her own: the other customer's complaint is not listed.
    expect(await mei.getByRole('row', { name: /店员没有回复/ }).count()).toBe(0);
    expect(await seriousViolations(mei)).toEqual([]);

    await row.getByRole('button', { name: 'Acknowledge' }).click();
    await mei.getByRole('dialog').getByRole('button', { name: 'Acknowledge' }).click();
    await mei.getByRole('status').waitFor();
    await expect.poll(() => row.textContent()).toContain('acknowledged');

    await row.getByRole('button', { name: 'Resolve' }).click();
    const dialog = mei.getByRole('dialog');
    // Resolving says what was done.
    await dialog.getByRole('button', { name: 'Resolve' }).click();
    expect(await dialog.isVisible()).toBe(true);
    await dialog.getByLabel('What was done').fill('补发一袋新豆，并致电道歉');
    await dialog.getByRole('button', { name: 'Resolve' }).click();
    await expect.poll(() => row.count()).toBe(0);

    await mei.getByRole('link', { name: 'Customers' }).click();
    await mei.getByTestId('customer-list').getByRole('link', { name: /李娜/ }).waitFor();
    expect(await mei.getByTestId('customer-list').getByRole('link').count()).toBe(1);
  });

  it('the customer gets the CSAT survey and answers; the overview counts it', async () => {
    const invite = await eventually(async () =>
      mailsTo('li.na@example.com').find((m) => /href="(http[^"]+\/s\/[^"]+)"/.test(String(m.html))),
    );
    const survey = /href="(http[^"]+\/s\/[^"]+)"/.exec(String(invite.html))?.[1] as string;
    // Answered on a phone, in the customer's language, with a comment.
    const phone = await browser.browser.newContext({
      viewport: { width: 375, height: 740 },
      isMobile: true,
      hasTouch: true,
    });
    try {
      const page = await phone.newPage();
      await page.goto(survey);
      await page.getByRole('heading', { name: '您对我们的服务满意吗？' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await page.locator('.scale label').filter({ hasText: /^5$/ }).tap();
      await page.getByRole('textbox', { name: /我们还有哪些可以做得更好/ }).fill('处理得很快，谢谢小梅！');
      await page.getByRole('button', { name: '提交' }).tap();
      await page.getByText('谢谢！您的回答已记录。').waitFor();
    } finally {
      await phone.close();
    }
    expect((await waitForRun(engine, 'li-na', (r) => r.status !== 'active')).outcome).toBe('rated');

    // The manager reads the comment on the survey's results, with the customer's name.
    await admin.goto('/surveys');
    await admin.getByRole('link', { name: 'How did we do?' }).click();
    const comment = admin.getByTestId('survey-comments').getByRole('row', { name: /处理得很快/ });
    await comment.waitFor();
    expect(await comment.getByRole('cell').nth(2).textContent()).toBe('5');
    await comment.getByRole('link', { name: '李娜' }).click();
    await admin.getByRole('heading', { name: '李娜', level: 1 }).waitFor();

    await admin.goto('/complaints');
    await admin.getByRole('tab', { name: 'Resolved' }).click();
    await admin.getByRole('row', { name: /包装破损/ }).waitFor();
    const stats = admin.locator('dl.stats');
    await expect.poll(() => stats.textContent()).toContain('5.0 / 5');
    expect(await stats.textContent()).toMatch(/Received\s*2/);

    // The overview dashboard counts it too, in a chart drawn by the chart library (SVG, text kept).
    await admin.getByRole('link', { name: 'Overview' }).click();
    const panel = admin.getByRole('region', { name: 'Complaints, last 30 days' });
    await panel.waitFor();
    await expect.poll(() => panel.locator('svg').first().textContent()).toContain('Delivery');
    expect(
      await admin.getByRole('region', { name: 'Customers by lifecycle stage' }).locator('svg').count(),
    ).toBe(1);
    // The surveys plugin's panel: CSAT week by week (the answer above is this week's 5).
    const satisfaction = admin.getByRole('region', { name: 'Satisfaction over time' });
    await expect.poll(() => satisfaction.locator('svg').first().textContent()).toContain('(CSAT)');
    expect(await seriousViolations(admin)).toEqual([]);
    await admin.getByRole('link', { name: 'Complaints' }).click();
    await admin.getByRole('heading', { name: 'Complaints', level: 1 }).waitFor();

    // The receipt, opened from the outbox: rendered as the customer saw it, in a sandboxed frame.
    await admin.goto('/outbox?customer=li-na');
    await admin.getByRole('link', { name: /我们已收到您的投诉/ }).click();
    await admin.getByRole('heading', { name: /我们已收到您的投诉/ }).waitFor();
    const [filed] = (await engine.api('GET', '/api/complaints?customer=li-na')).body.complaints;
    const frame = admin.frameLocator('iframe[title="As the customer sees it"]');
    await frame.getByText(filed.reference).first().waitFor();
    expect(await admin.locator('iframe').getAttribute('sandbox')).toBe('');
    expect(await admin.getByText('li.na@example.com').count()).toBeGreaterThan(0);
    expect(await seriousViolations(admin)).toEqual([]);
    await admin.getByRole('link', { name: 'Complaints' }).click();
    await admin.getByRole('heading', { name: 'Complaints', level: 1 }).waitFor();

    // The same screen in Chinese.
    await admin.getByTestId('language').selectOption('zh-CN');
    await admin.getByRole('heading', { name: '投诉', level: 1 }).waitFor();
    expect(await admin.locator('dl.stats').textContent()).toContain('解决后满意度');
  });

  it('a second complaint left alone escalates at its deadline; the team lead finds it in the inbox', async () => {
    const filed = await engine.api('POST', '/api/complaints', {
      customerId: 'li-na',
      category: 'delivery',
      severity: 'high',
      description: '第二次投诉：又送错了地址',
    });
    expect(filed.status).toBe(201);
    // One working hour to answer; nobody does.
    clock.advance(61 * 60_000);
    await eventually(async () => {
      const r = await engine.api('GET', `/api/complaints/${filed.body.id}`);
      return r.body.owner === ZHANG.email;
    });
    const context = await browser.browser.newContext({
      baseURL: engine.url,
      viewport: { width: 1280, height: 900 },
    });
    try {
      const page = await context.newPage();
      await page.goto('/');
      await page.getByLabel('Email').fill(ZHANG.email);
      await page.getByLabel('Password').fill(ZHANG.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'My tasks' }).waitFor();
      const task = new RegExp(`Overdue complaint ${filed.body.reference}.*escalated from ${MEI.email}`);
      await expect
        .poll(async () => {
          for (const tab of ['Due today', 'Upcoming', 'Overdue']) {
            await page.getByRole('tab', { name: new RegExp(tab) }).click();
            if ((await page.getByRole('row', { name: task }).count()) > 0) return true;
          }
          return false;
        })
        .toBe(true);
      await page.getByRole('link', { name: 'Complaints' }).click();
      const row = page.getByRole('row', { name: /又送错了地址/ });
      await row.waitFor();
      // His now, one level up, with its first response missed.
      expect(await row.textContent()).toContain('escalated ×1');
      expect(await row.textContent()).toContain('missed');
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
