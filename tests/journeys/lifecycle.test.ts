import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestEngine, TestClock, type TestEngine } from '../support/engine.ts';
import { publish, runsOf, send, setBrand } from '../support/journeys.ts';

const workflows = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'workflows');
const DAY = 86_400_000;

// The engine's clock starts at 10:00 UTC today: daytime in London, Berlin and Shanghai, so quiet
// hours hold nothing back. From there it only moves forward, by hand: pg-boss runs timers on
// the real clock, so a virtual past further back would fire every wait at once.
const morning = new Date();
morning.setUTCHours(10, 0, 0, 0);
const clock = new TestClock(morning.toISOString());
let engine: TestEngine;

// Mid-Autumn (Chinese calendar 8/15) in the coming years; the test uses the first one after its
// clock, so the clock never goes back in time.
const MID_AUTUMN = ['2026-09-25', '2027-09-15', '2028-10-03', '2029-09-22', '2030-09-12', '2031-10-01'];

const mails = async (customer: string) =>
  (await engine.api('GET', `/api/messages?customer=${customer}`)).body.messages as any[];
const mail = (customer: string, template: string, subject?: string) =>
  eventually(async () =>
    (await mails(customer)).find(
      (m) =>
        m.template === template && m.status === 'sent' && (subject === undefined || m.subject === subject),
    ),
  );
const run = (customer: string, workflow: string, done: (r: any) => boolean) =>
  eventually(async () => {
    const [latest] = await runsOf(engine, customer, workflow);
    return latest && done(latest) ? latest : undefined;
  });
const profile = async (customer: string) => (await engine.api('GET', `/api/customers/${customer}`)).body;

/** Moves the clock to `iso` and lets the engine's sweep fire the time triggers due then. */
async function sweepAt(iso: string) {
  clock.set(iso);
  const r = await engine.api('POST', '/api/triggers/sweep');
  expect(r.status).toBe(200);
  return r.body.fired as { workflow: string; occurrence: string; zone: string; enrolled: number }[];
}

beforeAll(async () => {
  // Sweeps and lifecycle recomputes happen when the test asks (POST /api/triggers/sweep,
  // /api/lifecycle/recompute), at the moments it sets.
  engine = await startTestEngine({ TEND_SWEEP_MS: '3600000' }, { clock });
  const people = [
    { id: 'ann', name: 'Ann', email: 'ann@example.com', locale: 'en', timezone: 'Europe/London' },
    {
      id: 'kai',
      name: 'Kai',
      email: 'kai@example.com',
      locale: 'en',
      timezone: 'Europe/Berlin',
      owner: 'mei',
    },
    {
      id: 'sam',
      name: 'Sam',
      email: 'sam@example.com',
      phone: '+8613800138000',
      locale: 'zh-CN',
      timezone: 'Asia/Shanghai',
    },
    { id: 'li', name: '李雷', email: 'li@example.com', locale: 'zh-CN', timezone: 'Asia/Shanghai' },
  ];
  await setBrand(engine);
  for (const { id, ...p } of people)
    await engine.api('PUT', `/api/customers/${id}`, { ...p, consent: { email: 'granted', sms: 'granted' } });
  // The shipped journeys, stored and published as an operator would — after the customers, so
  // the sweep's view of their time zones (cached for a while) can only include them.
  for (const file of (await readdir(workflows)).filter((f) => f.endsWith('.yaml'))) {
    const text = await readFile(path.join(workflows, file), 'utf8');
    if (/^states:/m.test(text)) await publish(engine, text); // lifecycle.yaml is not a journey
  }
});
afterAll(async () => {
  await engine?.stop();
});

describe('the shipped journeys on a real engine', () => {
  it('acquire → develop: welcome mail, first order converts, points and tips, second order is the goal', async () => {
    await send(engine, 'ann', 'customer.signed_up', { source: 'website' });
    expect((await mail('ann', 'welcome')).subject).toBe('Welcome to Hillside Coffee, Ann');
    await eventually(async () => (await profile('ann')).tags.includes('new-lead'));

    await send(engine, 'ann', 'order.placed', { orderNumber: 1, category: 'coffee', amount: 128.4 });
    expect((await run('ann', 'acquire', (r) => r.status === 'completed')).outcome).toBe('converted');
    const tips = await mail('ann', 'onboarding-tips');
    expect(tips.text).toContain('You earned 128 points');
    const ann = await profile('ann');
    expect(ann.tags).toEqual(expect.arrayContaining(['customer', 'tier:member']));
    expect(ann.tags).not.toContain('new-lead');
    expect(ann.loyalty).toMatchObject({ balance: 128, tier: 'member' });
    await run('ann', 'develop', (r) => r.state === 'thank-you' && r.phase === 'wait-delay');

    await send(engine, 'ann', 'order.placed', { orderNumber: 2, category: 'equipment', amount: 60 });
    expect((await run('ann', 'develop', (r) => r.status === 'completed')).outcome).toBe('second-order');
  });

  it('retain: an order makes the customer active; an NPS detractor answering on the real page gets an apology, their owner a task', async () => {
    // A regular's third order (develop is for first orders): the lifecycle stages Kai active,
    // which starts retain.
    await send(engine, 'kai', 'order.placed', { orderNumber: 3, category: 'coffee', amount: 36 });
    await eventually(async () => (await profile('kai')).stage === 'active');
    const invite = await mail('kai', 'survey-invite');
    const link = /href="(http[^"]+\/s\/[^"]+)"/.exec(invite.html)?.[1] as string;
    const answered = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'score=2&reason=Beans+arrived+stale',
    });
    expect(answered.status).toBe(200);
    await mail('kai', 'service-apology');
    const tasks = await eventually(async () => {
      const r = await engine.api('GET', '/api/tasks?assignee=mei');
      return r.body.tasks.length > 0 ? r.body.tasks : undefined;
    });
    expect(tasks[0]).toMatchObject({ title: 'Call Kai: NPS 2', note: 'They said: Beans arrived stale' });
    const retain = await run('kai', 'retain', (r) => r.state === 'until-next-survey');
    expect(retain.status).toBe('active');
    expect((await profile('kai')).tags).toContain('detractor');
    expect(await runsOf(engine, 'kai', 'develop')).toHaveLength(0);
  });

  it('win-back: two months without an order make the customer at risk; “we miss you”; an order wins them back', async () => {
    await send(engine, 'sam', 'order.placed', { orderNumber: 4, category: 'coffee', amount: 52 });
    await run('sam', 'retain', (r) => r.status === 'active');

    // Inactivity moves stages only in the full recompute (nightly; here, on demand).
    clock.advance(61 * DAY);
    await engine.api('POST', '/api/lifecycle/recompute');
    expect((await profile('sam')).stage).toBe('at-risk');
    expect((await run('sam', 'retain', (r) => r.status === 'completed')).outcome).toBe('no-longer-active');
    expect((await mail('sam', 'we-miss-you')).subject).toBe('好久不见，Sam');
    await eventually(async () => (await profile('sam')).tags.includes('win-back'));

    await send(engine, 'sam', 'order.placed', { orderNumber: 5, amount: 88 });
    expect((await run('sam', 'win-back', (r) => r.status === 'completed')).outcome).toBe('won-back');
    expect(await runsOf(engine, 'sam', 'develop')).toHaveLength(0);
  });

  it('birthday: at 09:00 on their birthday in their zone, points and a greeting in their language', async () => {
    // The next 09:00 in Shanghai (01:00 UTC) from the clock, and a birthday on that day.
    const nine = new Date(clock.now());
    nine.setUTCHours(1, 0, 0, 0);
    if (nine <= clock.now()) nine.setTime(nine.getTime() + DAY);
    const today = nine.toISOString().slice(0, 10);
    await engine.api('PUT', '/api/customers/li', { birthday: `1992-${today.slice(5)}` });

    await sweepAt(new Date(nine.getTime() - 60_000).toISOString()); // 08:59: not yet
    expect(await runsOf(engine, 'li', 'retain-birthday')).toEqual([]);
    const fired = await sweepAt(nine.toISOString());
    expect(fired).toContainEqual(
      expect.objectContaining({ workflow: 'retain-birthday', zone: 'Asia/Shanghai', enrolled: 1 }),
    );
    expect((await mail('li', 'birthday')).subject).toBe('生日快乐，李雷！');
    expect((await run('li', 'retain-birthday', (r) => r.status === 'completed')).outcome).toBe('greeted');
    expect((await profile('li')).loyalty).toMatchObject({ balance: 200 });

    await sweepAt(new Date(nine.getTime() + 3 * 3_600_000).toISOString()); // later that day: once
    expect(await runsOf(engine, 'li', 'retain-birthday')).toHaveLength(1);
  });

  it('Mid-Autumn: at 10:00 Shanghai time every customer there is greeted; London waits for its own 10:00', async () => {
    const day = MID_AUTUMN.find((d) => Date.parse(`${d}T02:00:00Z`) > clock.now().getTime());
    if (!day) throw new Error('add the next Mid-Autumn dates to MID_AUTUMN');
    const fired = await sweepAt(`${day}T02:00:00Z`); // 10:00 in Shanghai, 03:00 in London
    expect(fired).toContainEqual({
      workflow: 'retain-mid-autumn',
      occurrence: `lunar:${day}`,
      zone: 'Asia/Shanghai',
      considered: 2,
      enrolled: 2,
    });
    expect((await mail('li', 'holiday', '中秋快乐')).text).toContain('月圆人团圆');
    expect((await run('li', 'retain-mid-autumn', (r) => r.status === 'completed')).outcome).toBe('greeted');
    await mail('sam', 'holiday', '中秋快乐');
    expect(await runsOf(engine, 'ann', 'retain-mid-autumn')).toEqual([]);

    await sweepAt(`${day}T09:00:00Z`); // 10:00 in London (summer time)
    expect((await mail('ann', 'holiday', 'Happy Mid-Autumn Festival')).text).toContain('full moon');
  });
});
