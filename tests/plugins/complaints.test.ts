import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestEngine, TestClock, type TestEngine } from '../support/engine.ts';
import { publish, waitForRun } from '../support/journeys.ts';
import { type SmtpPeer, startSmtpPeer } from '../support/smtp-peer.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// Wednesday 10:00 in Shanghai: inside the shipped policy's working hours (Mon–Sat 09–18).
const clock = new TestClock('2026-12-02T02:00:00Z');
const MINUTE = 60_000;
let engine: TestEngine;
let smtp: SmtpPeer;

const mailsTo = (address: string) => smtp.mails.filter((m) => JSON.stringify(m.to).includes(address));

/** Posts the hosted form like a browser does. */
const post = (url: string, form: Record<string, string>) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
const ticketOf = (html: string) => /name="ticket" value="([^"]+)"/.exec(html)?.[1] as string;

async function formLink(customer: string): Promise<string> {
  const r = await engine.api('GET', `/api/complaints/form-link?customer=${customer}`);
  expect(r.status).toBe(200);
  return r.body.url;
}

async function complaintsOf(customer: string) {
  const r = await engine.api('GET', `/api/complaints?customer=${customer}`);
  expect(r.status).toBe(200);
  return r.body.complaints as any[];
}

beforeAll(async () => {
  smtp = await startSmtpPeer();
  engine = await startTestEngine(
    {
      SMTP_URL: smtp.url,
      TEND_WORKFLOWS_DIR: path.join(root, 'workflows'),
      TEND_TIMEZONE: 'Asia/Shanghai',
      TEND_BACKGROUND_INTERVAL_SECONDS: '1',
    },
    { clock },
  );
  await publish(engine, readFileSync(path.join(root, 'workflows', 'service-complaint.yaml'), 'utf8'));
  const consent = { email: 'granted' };
  await engine.api('PUT', '/api/customers/li', {
    name: '李娜',
    email: 'li@example.com',
    owner: 'sales-mei',
    locale: 'zh-CN',
    consent,
  });
  await engine.api('PUT', '/api/customers/bo', {
    name: 'Bo',
    email: 'bo@example.com',
    owner: 'sales-lin',
    consent,
  });
  await engine.api('PUT', '/api/customers/flood', {
    email: 'flood@example.com',
    owner: 'sales-mei',
    consent,
  });
});
afterAll(async () => {
  await engine?.stop();
  await smtp?.close();
});

describe('the hosted complaint form', () => {
  it('takes a complaint in the customer’s language, once, and refuses scripts and oversize bodies', async () => {
    const url = await formLink('li');
    const page = await fetch(url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('投诉类别');
    expect(html).toContain('name="viewport"');
    const ticket = ticketOf(html);
    const valid = {
      ticket,
      category: 'delivery',
      severity: 'high',
      description: '快递送到时包装破损，咖啡豆撒了一半。<script>alert(1)</script>',
      attachments: 'https://photos.example/1.jpg',
    };
    // Sent back at once: a script, not a person.
    const fast = await post(url, valid);
    expect(fast.status).toBe(400);
    expect(await fast.text()).toContain('提交太快了');
    clock.advance(MINUTE);
    // The hidden trap field filled in: refused however slow.
    expect((await post(url, { ...valid, website: 'http://spam.example' })).status).toBe(400);
    // Too large: refused before it is read.
    expect((await post(url, { ...valid, description: 'x'.repeat(20_000) })).status).toBe(413);
    // A forged link.
    expect((await post(`${url}x`, valid)).status).toBe(404);
    expect(await complaintsOf('li')).toHaveLength(0);

    const sent = await post(url, valid);
    expect(sent.status).toBe(200);
    const thanks = await sent.text();
    const reference = /data-reference>([^<]+)</.exec(thanks)?.[1];
    expect(reference).toMatch(/^[0-9A-F]{8}$/);
    // The same form sent again (a double tap, a resent request) is the same complaint.
    const again = await post(url, valid);
    expect(await again.text()).toContain('我们已收到这条投诉');
    const [stored, ...more] = await complaintsOf('li');
    expect(more).toHaveLength(0);
    expect(stored).toMatchObject({
      reference,
      channel: 'form',
      category: 'delivery',
      severity: 'high',
      owner: 'sales-mei',
      status: 'open',
      description: valid.description,
      attachments: ['https://photos.example/1.jpg'],
      // High: one working hour to respond, eight to resolve (Wednesday 10:01 → 11:01, 18:00 → Thursday 09:01).
      respondBy: '2026-12-02T03:01:00.000Z',
      resolveBy: '2026-12-03T01:01:00.000Z',
    });
  });

  it('stops a flood at five complaints a day without losing the ones before', async () => {
    const url = await formLink('flood');
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const ticket = ticketOf(await (await fetch(url)).text());
      clock.advance(5_000);
      const r = await post(url, {
        ticket,
        category: 'product',
        description: `complaint number ${i} about the beans`,
      });
      statuses.push(r.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const stored = await complaintsOf('flood');
    expect(stored.map((c) => c.description).sort()).toEqual(
      [0, 1, 2, 3, 4].map((i) => `complaint number ${i} about the beans`),
    );
  });
});

describe('a complaint through the service-complaint journey', () => {
  it('is answered at once, tasks its owner, and after resolution asks for CSAT and records it', async () => {
    const [complaint] = await complaintsOf('li');
    // The journey's receipt, in the customer's language, with the reference.
    const receipt = await eventually(async () =>
      mailsTo('li@example.com').find((m) => m.subject?.includes('投诉')),
    );
    expect(receipt.subject).toContain(complaint.reference);
    const tasks = await eventually(async () => {
      const r = await engine.api('GET', '/api/tasks?assignee=sales-mei&customer=li');
      return r.body.tasks.length > 0 ? r.body.tasks : undefined;
    });
    expect(tasks[0].title).toContain(complaint.reference);

    const ack = await engine.api('POST', `/api/complaints/${complaint.id}/acknowledge`, {
      note: '已致电客户',
    });
    expect(ack.status).toBe(200);
    expect(ack.body.status).toBe('acknowledged');
    expect((await engine.api('POST', `/api/complaints/${complaint.id}/acknowledge`)).status).toBe(409);
    // Resolving needs a note of what was done.
    const noNote = await engine.api('POST', `/api/complaints/${complaint.id}/resolve`, {});
    expect(noNote.status).toBe(400);
    expect(noNote.body.error.message).toMatch(/note/);
    clock.advance(30 * MINUTE);
    const resolved = await engine.api('POST', `/api/complaints/${complaint.id}/resolve`, {
      note: '补发一袋新豆',
    });
    expect(resolved.body).toMatchObject({
      status: 'resolved',
      resolution: '补发一袋新豆',
      responseBreached: false,
    });

    const invite = await eventually(async () =>
      mailsTo('li@example.com').find((m) => /href="(http[^"]+\/s\/[^"]+)"/.test(String(m.html))),
    );
    expect(mailsTo('li@example.com').some((m) => m.subject?.includes('已处理完毕'))).toBe(true);
    const surveyUrl = /href="(http[^"]+\/s\/[^"]+)"/.exec(String(invite.html))?.[1] as string;
    const answered = await fetch(surveyUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'score=4&comment=%E5%BE%88%E5%BF%AB',
    });
    expect(answered.status).toBe(200);
    const run = await waitForRun(engine, 'li', (r) => r.status !== 'active');
    expect(run.outcome).toBe('rated');
    const detail = await engine.api('GET', `/api/complaints/${complaint.id}`);
    expect(detail.body.csat).toBe(4);
    expect(detail.body.changes.map((c: any) => c.kind)).toEqual([
      'received',
      'acknowledged',
      'resolved',
      'rated',
    ]);

    const figures = await engine.api('GET', '/api/complaints/figures?by=category');
    expect(figures.status).toBe(200);
    const delivery = figures.body.groups.find((g: any) => g.key === 'delivery');
    expect(delivery).toMatchObject({ total: 1, open: 0, breached: 0, rated: 1, csat: 4 });
    expect(delivery.respondHours).toBeGreaterThan(0);
  });

  it('left alone, escalates at each deadline in working hours: the lead, then the manager, get a task', async () => {
    clock.set('2026-12-02T02:00:00Z');
    const filed = await engine.api('POST', '/api/complaints', {
      customerId: 'bo',
      category: 'service',
      severity: 'high',
      description: 'The shop assistant was rude to me.',
    });
    expect(filed.status).toBe(201);
    // The same complaint posted again (a client retry) is the one complaint.
    const repeat = await engine.api('POST', '/api/complaints', {
      customerId: 'bo',
      category: 'service',
      severity: 'high',
      description: 'The shop assistant was rude to me.',
    });
    expect(repeat.status).toBe(200);
    expect(repeat.body.id).toBe(filed.body.id);
    const id = filed.body.id as string;
    await eventually(
      async () => (await engine.api('GET', '/api/tasks?assignee=sales-lin')).body.tasks.length === 1,
    );

    // One working hour later the first response is overdue: the team lead has it.
    clock.advance(61 * MINUTE);
    const atLead = await eventually(async () => {
      const r = await engine.api('GET', `/api/complaints/${id}`);
      return r.body.owner === 'lead-zhang' ? r.body : undefined;
    });
    expect(atLead).toMatchObject({ level: 1, responseBreached: true, resolutionBreached: false });
    await eventually(
      async () => (await engine.api('GET', '/api/tasks?assignee=lead-zhang')).body.tasks.length === 1,
    );

    // Past the resolution deadline (Thursday 09:00 + …): the manager.
    clock.set('2026-12-03T02:00:00Z');
    const atManager = await eventually(async () => {
      const r = await engine.api('GET', `/api/complaints/${id}`);
      return r.body.owner === 'manager-wang' ? r.body : undefined;
    });
    expect(atManager).toMatchObject({ level: 2, resolutionBreached: true });
    const lateTasks = await eventually(async () => {
      const r = await engine.api('GET', '/api/tasks?assignee=manager-wang');
      return r.body.tasks.length === 1 ? r.body.tasks : undefined;
    });
    expect(lateTasks[0].title).toContain('escalated from lead-zhang');
    // By team (the policy's teams): every complaint so far is owned in the shanghai-stores team.
    // (The deadline watch may still be marking the other complaints late: compare a settled moment.)
    await eventually(async () => {
      const byTeam = (await engine.api('GET', '/api/complaints/figures?by=team')).body.groups;
      const all = (await engine.api('GET', '/api/complaints/figures')).body.all;
      return (
        byTeam.length === 1 &&
        byTeam[0].key === 'shanghai-stores' &&
        byTeam[0].total === all.total &&
        byTeam[0].breached === all.breached
      );
    });
    const breached = await engine.api(
      'GET',
      '/api/complaints?breached=true&status=open,acknowledged&customer=bo',
    );
    expect(breached.body.complaints.map((c: any) => c.id)).toEqual([id]);
  });
});

describe('bad input', () => {
  it('answers 4xx with the reason and stores nothing', async () => {
    const unknownCategory = await engine.api('POST', '/api/complaints', {
      customerId: 'bo',
      category: 'weather',
      description: 'It rained.',
    });
    expect(unknownCategory.status).toBe(422);
    expect(unknownCategory.body.error.message).toContain('product, delivery, service, billing, other');
    const unknownCustomer = await engine.api('POST', '/api/complaints', {
      customerId: 'nobody',
      category: 'product',
      description: 'Broken.',
    });
    expect(unknownCustomer.status).toBe(404);
    const badShape = await engine.api('POST', '/api/complaints', {
      customerId: 'bo',
      category: 'product',
      severity: 'apocalyptic',
      description: 'x',
    });
    expect(badShape.status).toBe(400);
    expect(badShape.body.error.message).toContain('severity');
    expect((await engine.api('GET', '/api/complaints?status=lost')).status).toBe(400);
    expect((await engine.api('GET', '/api/complaints/not-an-id')).status).toBe(404);
    expect(
      (
        await engine.api('POST', '/api/complaints/00000000-0000-4000-8000-000000000000/resolve', {
          note: 'x',
        })
      ).status,
    ).toBe(404);
    expect((await engine.api('GET', '/api/complaints', undefined, { key: null })).status).toBe(401);
    expect(await complaintsOf('bo')).toHaveLength(1);
  });

  it('keeps an Idempotency-Key to its customer: another customer’s same key files their own', async () => {
    const file = (customerId: string, description: string) =>
      engine.api(
        'POST',
        '/api/complaints',
        { customerId, category: 'delivery', description },
        { headers: { 'idempotency-key': 'ticket-9' } },
      );
    const li = await file('li', 'The parcel came two weeks late.');
    expect(li.status).toBe(201);
    const bo = await file('bo', 'My parcel never came at all.');
    expect(bo.status).toBe(201);
    expect(bo.body.id).not.toBe(li.body.id);
    expect(bo.body.customerId).toBe('bo');
    const again = await file('li', 'The parcel came two weeks late.');
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(li.body.id);
  });
});
