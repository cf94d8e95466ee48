import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestEngine, type TestEngine } from '../support/engine.ts';
import { publish, runsOf, send } from '../support/journeys.ts';

const workflows = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'workflows');
let engine: TestEngine;

// 10:00 UTC today: daytime in London, Berlin and Shanghai, so quiet hours hold nothing back.
const morning = new Date();
morning.setUTCHours(10, 0, 0, 0);
const offset = morning.getTime() - Date.now();

const mails = async (customer: string) =>
  (await engine.api('GET', `/api/messages?customer=${customer}`)).body.messages as any[];
const mail = (customer: string, template: string) =>
  eventually(async () => (await mails(customer)).find((m) => m.template === template && m.status === 'sent'));
const run = (customer: string, workflow: string, done: (r: any) => boolean) =>
  eventually(async () => {
    const [latest] = await runsOf(engine, customer, workflow);
    return latest && done(latest) ? latest : undefined;
  });
const profile = async (customer: string) => (await engine.api('GET', `/api/customers/${customer}`)).body;

beforeAll(async () => {
  engine = await startTestEngine({}, { now: () => new Date(Date.now() + offset) });
  // The shipped journeys, stored and published as an operator would.
  for (const file of (await readdir(workflows)).filter((f) => f.endsWith('.yaml'))) {
    const text = await readFile(path.join(workflows, file), 'utf8');
    if (/^states:/m.test(text)) await publish(engine, text); // lifecycle.yaml is not a journey
  }
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
  for (const { id, ...p } of people)
    await engine.api('PUT', `/api/customers/${id}`, { ...p, consent: { email: 'granted', sms: 'granted' } });
});
afterAll(async () => {
  await engine?.stop();
});

describe('the four lifecycle journeys on a real engine', () => {
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

  it('retain: an NPS detractor answering on the real page gets an apology, their owner a task', async () => {
    await send(engine, 'kai', 'customer.stage_changed', { from: 'new', to: 'active' });
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
  });

  it('win-back: a lapsed customer gets “we miss you”; an order wins them back', async () => {
    await send(engine, 'sam', 'customer.stage_changed', { from: 'active', to: 'at-risk' });
    expect((await mail('sam', 'we-miss-you')).subject).toBe('好久不见，Sam');
    await eventually(async () => (await profile('sam')).tags.includes('win-back'));
    await send(engine, 'sam', 'order.placed', { orderNumber: 5, amount: 88 });
    expect((await run('sam', 'win-back', (r) => r.status === 'completed')).outcome).toBe('won-back');
    expect(await runsOf(engine, 'sam', 'develop')).toHaveLength(0);
  });

  it('retain greetings: a birthday brings points and a greeting in the customer’s language', async () => {
    await send(engine, 'li', 'customer.occasion', { occasion: 'birthday' });
    expect((await mail('li', 'birthday')).subject).toBe('生日快乐，李雷！');
    expect((await run('li', 'retain-greetings', (r) => r.status === 'completed')).outcome).toBe('greeted');
    expect((await profile('li')).loyalty).toMatchObject({ balance: 200 });
  });
});
