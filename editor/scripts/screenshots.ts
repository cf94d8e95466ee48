/**
 * `pnpm --filter @tend/editor screenshots`: starts a real engine on a fresh embedded PostgreSQL
 * with the shipped journeys (workflows/), seeds a demo customer base (`tend demo seed`) so the
 * journeys have customers in them, and saves screenshots of the journeys list, the win-back
 * canvas and its live view, the customers list, a profile (in Chinese), a staff member's tasks,
 * the complaints screen and the overview (both languages), a best-time wait in the inspector, a
 * run waiting for it and a customer's usual hours (both languages) and the hosted complaint form
 * on a phone to docs/screenshots/. Re-run it whenever the editor changes.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@tend/engine/config';
import { createLogger } from '@tend/engine/logger';
import { startEmbeddedPostgres } from '@tend/engine/postgres/embedded';
import { startTend } from '@tend/engine/server/start';
import { launchChromium } from './chromium.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = path.join(root, 'docs', 'screenshots');
const KEY = 'screenshots-admin-key-0123456789';
const JOURNEY = 'win-back';
const CUSTOMERS = 600;

async function main() {
  const log = createLogger('warn');
  const data = await mkdtemp(path.join(tmpdir(), 'tend-screenshots-'));
  const pg = await startEmbeddedPostgres(data, log);
  const env = {
    DATABASE_URL: pg.url,
    PORT: '0',
    TEND_API_KEY: KEY,
    TEND_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    TEND_WORKFLOWS_DIR: path.join(root, 'workflows'),
    TEND_LOG_LEVEL: 'error',
  };
  // The CLI itself, as a newcomer would run it: customers with histories, some lapsed.
  const seeded = spawnSync(
    process.execPath,
    [path.join(root, 'engine/bin/tend.mjs'), 'demo', 'seed', '--customers', String(CUSTOMERS)],
    { env: { ...process.env, ...env }, stdio: 'inherit' },
  );
  if (seeded.status !== 0) throw new Error('tend demo seed failed');
  const tend = await startTend(loadConfig(env), { loadWorkflows: true, log });
  const api = (method: string, route: string, body?: unknown) =>
    fetch(`${tend.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }).then((r) => r.json() as Promise<Record<string, unknown>>);
  // The demo shop's brand, as its admin saves it on the Brand screen.
  await api('PUT', '/api/brand', {
    name: { en: 'Hillside Coffee', 'zh-CN': '山丘咖啡' },
    logoUrl: '',
    address: { en: '12 Roastery Lane, Portland', 'zh-CN': '上海市徐汇区' },
    servicePhone: '400-820-0000',
    serviceEmail: 'help@hillside.example',
    websiteUrl: 'https://hillside.example',
    senderName: 'Hillside Coffee',
  });
  const browser = await launchChromium();
  try {
    const id = JOURNEY;
    await untilCustomersIn(api, id);
    const context = await browser.newContext({
      baseURL: tend.url,
      viewport: { width: 1440, height: 900 },
      deviceScaleFactor: 1,
    });
    await context.request.post('/api/setup', {
      data: { email: 'ada@example.com', name: 'Ada', password: 'a long passphrase' },
    });
    const page = await context.newPage();
    await page.goto('/');
    await page.getByRole('cell', { name: id }).waitFor();
    await page.waitForTimeout(800);
    await page.screenshot({ path: path.join(out, 'journeys.png') });
    await page.goto(`/workflows/${id}`);
    await page.locator('.react-flow__node').nth(3).waitFor();
    await page.locator('.react-flow__node').nth(2).click();
    await page.waitForTimeout(1200);
    await page.screenshot({ path: path.join(out, 'canvas.png') });
    await page.goto(`/workflows/${id}?mode=live`);
    await page.getByTestId('live-stats').waitFor();
    await page.waitForTimeout(3500);
    await page.screenshot({ path: path.join(out, 'live.png') });
    await bestTimeShots(page, tend.url, api, tend.services.now);

    // The people's side: the customers list, a profile in Chinese, a staff member's tasks.
    const { customers } = (await api('GET', '/api/customers?limit=6')) as { customers: { id: string }[] };
    for (const [i, c] of customers.entries()) {
      await api('POST', '/api/tasks/followups', {
        customerId: c.id,
        channel: i % 2 ? 'visit' : 'call',
        outcome: i % 3 ? 'reached' : 'call-back',
        next: {
          dueAt: new Date(tend.services.now().getTime() + (i + 1) * 3 * 3_600_000).toISOString(),
          title: i % 2 ? `Ask ${c.id} how the new beans taste` : `Call ${c.id} back about the subscription`,
          assignee: 'ada@example.com',
        },
      });
    }
    await page.goto('/customers');
    await page.getByTestId('customer-list').waitFor();
    await page.screenshot({ path: path.join(out, 'customers.png') });
    // In Chinese, found by part of a name.
    await page.getByTestId('language').selectOption('zh-CN');
    await page.getByLabel('姓名、邮箱、电话或客户 ID').fill('王');
    await page.getByRole('button', { name: '查找' }).click();
    await page.getByText('姓名包含“王”').waitFor();
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(out, 'customers-zh.png') });
    await page.getByTestId('language').selectOption('en');
    await page.getByTestId('customer-list').getByRole('link').first().click();
    await page.getByTestId('language').selectOption('zh-CN');
    await page.getByRole('heading', { name: '回访记录' }).waitFor();
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(out, 'profile-zh.png'), fullPage: true });
    // The hours a best-time wait learns from, in both languages.
    await page.getByTestId('usual-hours').screenshot({ path: path.join(out, 'usual-hours-zh.png') });
    await page.getByTestId('language').selectOption('en');
    await page.getByRole('heading', { name: 'Usual hours' }).waitFor();
    await page.getByTestId('usual-hours').screenshot({ path: path.join(out, 'usual-hours.png') });
    await page.getByTestId('language').selectOption('en');
    // A customer who brought two friends (one ordered): the referrals panel of their profile.
    // (a buyer: the purchase model predicts only for customers with orders)
    const top = (await api('GET', '/api/customers?sort=revenue&limit=1')) as { customers: { id: string }[] };
    const referrer = top.customers[0]?.id as string;
    const { display } = (await api('POST', `/api/referrals/customers/${referrer}/code`)) as {
      display: string;
    };
    for (const [friend, name] of [
      ['friend-zhou', '周小雨'],
      ['friend-lena', 'Lena Park'],
    ]) {
      await api('PUT', `/api/customers/${friend}`, { name });
      await api('POST', '/api/events', {
        customerId: friend,
        type: 'customer.signed_up',
        data: { referralCode: display },
      });
    }
    await api('POST', '/api/events', {
      customerId: 'friend-zhou',
      type: 'order.placed',
      data: { amount: 88 },
    });
    for (const language of ['en', 'zh-CN']) {
      await page.goto(`/customers/${encodeURIComponent(referrer)}`);
      await page.getByTestId('language').selectOption(language);
      const panel = page.getByTestId('referrals');
      await panel.waitFor();
      await page.waitForTimeout(2500);
      await page.reload();
      await panel.waitFor();
      await panel.locator('..').screenshot({
        path: path.join(out, language === 'en' ? 'referrals.png' : 'referrals-zh.png'),
      });
    }
    // The purchase model's predictions on the same profile, after a refresh.
    await api('POST', '/api/predictions/refresh');
    for (const language of ['en', 'zh-CN']) {
      await page.goto(`/customers/${encodeURIComponent(referrer)}`);
      await page.getByTestId('language').selectOption(language);
      const section = page.locator('section[aria-labelledby="predicted-title"]');
      await section.locator('dl').waitFor();
      await section.screenshot({
        path: path.join(out, language === 'en' ? 'predictions.png' : 'predictions-zh.png'),
      });
    }
    await page.getByTestId('language').selectOption('en');
    // The API reference, served by the engine.
    await page.goto('/api/docs');
    await page.locator('.opblock').first().waitFor();
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(out, 'api-docs.png') });
    await page.goto('/tasks');
    // The follow-ups fall due later today or after it, depending on the hour this runs at.
    await page.getByRole('tab', { name: /Due today/ }).click();
    const complete = page.getByRole('button', { name: 'Complete' }).first();
    if (
      !(await complete.waitFor({ timeout: 5000 }).then(
        () => true,
        () => false,
      ))
    )
      await page.getByRole('tab', { name: /Upcoming/ }).click();
    await complete.waitFor();
    await page.screenshot({ path: path.join(out, 'tasks.png') });

    // The service desk: complaints filed through the API (two resolved, one acknowledged), the
    // complaints screen in both languages, and the hosted form on a phone.
    const complaints = [
      ['delivery', 'high', '快递送到时包装破损，咖啡豆撒了一半。'],
      ['product', 'medium', 'The grinder makes a rattling noise after a week.'],
      ['service', 'low', '门店店员态度冷淡，等了二十分钟。'],
      ['billing', 'medium', 'I was charged twice for my subscription.'],
    ] as const;
    const filed: string[] = [];
    for (const [i, [category, severity, description]] of complaints.entries()) {
      const c = (await api('POST', '/api/complaints', {
        customerId: customers[i]?.id,
        category,
        severity,
        description,
      })) as { id: string };
      filed.push(c.id);
    }
    await api('POST', `/api/complaints/${filed[0]}/resolve`, { note: '补发一袋新豆，并致电道歉' });
    await api('POST', `/api/complaints/${filed[1]}/acknowledge`, {});
    await api('POST', `/api/complaints/${filed[1]}/resolve`, { note: 'Sent a replacement grinder' });
    await api('POST', `/api/complaints/${filed[2]}/acknowledge`, { note: '已致电客户' });
    await page.goto('/complaints');
    await page.getByRole('button', { name: 'Resolve' }).first().waitFor();
    await page.screenshot({ path: path.join(out, 'complaints.png'), fullPage: true });
    await page.getByTestId('language').selectOption('zh-CN');
    await page.getByRole('button', { name: '解决' }).first().waitFor();
    await page.screenshot({ path: path.join(out, 'complaints-zh.png'), fullPage: true });
    await page.goto('/overview');
    await page.getByRole('region', { name: '投诉（最近 30 天）' }).locator('svg').first().waitFor();
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(out, 'overview-zh.png'), fullPage: true });
    await page.getByTestId('language').selectOption('en');
    await page.getByRole('region', { name: 'Customers by lifecycle stage' }).locator('svg').waitFor();
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(out, 'overview.png'), fullPage: true });
    // A message opened from the outbox, as its customer saw it.
    const { messages } = (await api('GET', '/api/messages?status=sent')) as { messages: { key: string }[] };
    if (messages[0]) {
      await page.goto(`/outbox/${encodeURIComponent(messages[0].key)}`);
      await page.locator('iframe').waitFor();
      await page.waitForTimeout(500);
      await page.screenshot({ path: path.join(out, 'message.png'), fullPage: true });
    }
    // A segment built in the builder's own CEL, so it opens as conditions.
    await api('POST', '/api/segments', {
      id: 'lapsing-big-spenders',
      name: 'Lapsing big spenders',
      definition:
        '(customer.rfm == null ? "" : customer.rfm.segment) == "at-risk" && ((customer.rfm == null ? 0 : customer.rfm.revenue365) >= 500 || "vip" in customer.tags) && ("email" in customer.consent && customer.consent.email.status == "granted")',
    });
    await page.goto('/segments/lapsing-big-spenders');
    await page.getByTestId('segment-count').waitFor();
    await page.getByTestId('segment-members').waitFor();
    await page.screenshot({ path: path.join(out, 'segment-builder.png'), fullPage: true });
    await page.getByTestId('language').selectOption('zh-CN');
    await page.getByText('实时人数').waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(out, 'segment-builder-zh.png'), fullPage: true });
    await page.goto('/import');
    await page.locator('input[type=file]').setInputFiles({
      name: '会员.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        '客户编号,姓名,手机,邮件授权,城市\nm-1,陈静,+86 139 0000 0001,同意,上海\nm-2,刘洋,139 0000 0002,否,北京\n',
      ),
    });
    await page.getByTestId('import-mapping').waitFor();
    await page.screenshot({ path: path.join(out, 'import-zh.png'), fullPage: true });
    await page.goto('/brand');
    await page.getByTestId('brand-signature').waitFor();
    await page.screenshot({ path: path.join(out, 'brand-zh.png'), fullPage: true });
    await page.goto('/surveys');
    await page.locator('main a[href^="/surveys/"]').first().click();
    await page.locator('main h1').first().waitFor();
    await page.waitForTimeout(1500);
    await page.screenshot({ path: path.join(out, 'surveys-zh.png'), fullPage: true });
    await page.getByTestId('language').selectOption('en');
    await page.goto('/outbox');
    await page.getByRole('region', { name: 'Messages by status and reason' }).locator('svg').waitFor();
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(out, 'outbox.png') });
    await page.getByTestId('language').selectOption('zh-CN');
    await page.getByRole('region', { name: '按状态和原因统计的消息' }).locator('svg').waitFor();
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(out, 'outbox-zh.png') });
    await page.getByTestId('language').selectOption('en');
    const { url } = (await api('GET', `/api/complaints/form-link?customer=${customers[4]?.id}`)) as {
      url: string;
    };
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const form = await phone.newPage();
    await form.goto(`${url}?lang=zh-CN`);
    await form.getByRole('button').waitFor();
    await form.screenshot({ path: path.join(out, 'complaint-form-zh.png'), fullPage: true });
    await phone.close();
    process.stdout.write(`screenshots written to ${path.relative(root, out)}/\n`);
  } finally {
    await browser.close();
    await tend.stop();
    await pg.stop();
    await rm(data, { recursive: true, force: true });
  }
}

/** Waits until the engine has scored the seeded customers and some are in the journey. */
const BEST_TIME = `id: best-time
name: Coupon at each customer's best time
trigger: { event: coupon.ready }
limits:
  quietHours: { from: "21:00", to: "08:00" }
start: best-hour
states:
  best-hour:
    wait: { bestTime: within 24h }
    next: coupon
  coupon:
    steps:
      - uses: tagging.add
        with: { tags: [coupon-sent] }
    next: done
  done: { end: completed }
`;

/**
 * A journey that waits for each customer's best time: its wait in the inspector and a waiting
 * customer's run, in English and Chinese (best-time*.png, run-best-time*.png).
 */
async function bestTimeShots(
  page: Awaited<ReturnType<Awaited<ReturnType<typeof launchChromium>>['newPage']>>,
  url: string,
  api: (method: string, route: string, body?: unknown) => Promise<Record<string, unknown>>,
  now: () => Date,
) {
  const yaml = { authorization: `Bearer ${KEY}`, 'content-type': 'application/yaml' };
  const saved = (await (
    await fetch(`${url}/api/workflows`, { method: 'POST', headers: yaml, body: BEST_TIME })
  ).json()) as {
    version: number;
  };
  await api('POST', '/api/workflows/best-time/publish', { version: saved.version });
  // Buyers of the demo shop, whose orders tell their hours.
  const { customers } = (await api('GET', '/api/customers?limit=60')) as { customers: { id: string }[] };
  for (const c of customers) await api('POST', '/api/events', { customerId: c.id, type: 'coupon.ready' });
  await new Promise((r) => setTimeout(r, 3000));
  // One who waits for their usual hour, still ahead (one whose hour is now went at once).
  const waiting: { id: string; basis?: string }[] = [];
  const { runs } = (await api('GET', '/api/runs?workflow=best-time&status=active')) as {
    runs: { id: string }[];
  };
  for (const r of runs) {
    const run = (await api('GET', `/api/runs/${r.id}`)) as {
      history: { type: string; detail: { dueAt?: string; bestTime?: { basis: string } } | null }[];
    };
    const timer = run.history.findLast((h) => h.type === 'timer.set')?.detail;
    if (Date.parse(timer?.dueAt ?? '') > now().getTime() + 60_000)
      waiting.push({ id: r.id, ...(timer?.bestTime ? { basis: timer.bestTime.basis } : {}) });
  }
  const shown = waiting.find((w) => w.basis === 'usual') ?? waiting[0];
  await page.goto('/workflows/best-time');
  await page.locator('.react-flow__node', { hasText: '24h' }).click();
  await page.getByLabel('Within').waitFor();
  await page.waitForTimeout(800);
  await page.screenshot({ path: path.join(out, 'best-time.png') });
  await page.getByTestId('language').selectOption('zh-CN');
  await page.getByLabel('时间范围').waitFor();
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(out, 'best-time-zh.png') });
  if (!shown) throw new Error('no demo customer waits for their best time');
  await page.goto(`/runs/${shown.id}`);
  await page.locator('p.waiting').waitFor();
  await page.screenshot({ path: path.join(out, 'run-best-time-zh.png') });
  await page.getByTestId('language').selectOption('en');
  await page.getByText('Waiting until the best time').waitFor();
  await page.screenshot({ path: path.join(out, 'run-best-time.png') });
}

async function untilCustomersIn(
  api: (m: string, r: string, b?: unknown) => Promise<Record<string, unknown>>,
  id: string,
) {
  for (let waited = 0; waited < 120_000; waited += 1000) {
    const live = (await api('GET', `/api/workflows/${id}/live`)) as { active?: number };
    if ((live.active ?? 0) >= 20) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`no customers reached ${id} within two minutes`);
}

await main();
