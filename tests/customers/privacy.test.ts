import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestEngine, type TestEngine } from '../support/engine.ts';
import { publish, send, waitForRun } from '../support/journeys.ts';

let engine: TestEngine;
let db: pg.Client;
const person = {
  email: 'mei.chen@example.org',
  phone: '+86 139 1234 5678',
  name: '陈美',
  birthday: '1992-11-05',
};
/** What she writes in the survey's free-text question. */
const remark = '陈美: the Yunnan beans tasted stale';
const needles = ['mei.chen@example.org', '13912345678', '陈美', '1992-11-05', 'mei-chen-42', 'tasted stale'];

/**
 * The plugins' traces: an email (dev mailbox: no SMTP_URL), an SMS skipped for want of consent,
 * an NPS survey (answered below), a follow-up task (overdue at once, so its assignee is reminded
 * about her) and loyalty points, with texts rendered from her profile.
 */
const care = `
id: care
name: Care
trigger: { event: care.start }
start: reach
states:
  reach:
    steps:
      - id: mail
        uses: messaging.send
        with: { channel: email, template: welcome }
      - id: sms
        uses: messaging.send
        with: { channel: sms, template: coupon }
      - id: survey
        uses: surveys.send
        with: { survey: nps, channel: email }
      - id: task
        uses: tasks.create
        with: { title: "Call {{ customer.name }} on {{ customer.phone }}", due: 1s, assignee: sales-wu, note: "Or write to {{ customer.email }}" }
      - id: points
        uses: loyalty.award
        with: { points: 50, reason: "welcome gift for {{ customer.name }}" }
    wait: { event: survey.answered, timeout: 14d }
    on:
      survey.answered: done
      timeout: done
  done: { end: completed }
`;
let surveyUrl: string;

beforeAll(async () => {
  engine = await startTestEngine({ TEND_SWEEP_MS: '3600000', TEND_BACKGROUND_INTERVAL_SECONDS: '1' });
  db = new pg.Client({ connectionString: engine.databaseUrl });
  await db.connect();
  await publish(
    engine,
    `
id: greet
name: Greet
trigger: { event: signup }
start: a
states:
  a:
    steps:
      - uses: core.set
        with: { values: { contact: "{{ customer.email }} {{ customer.name }}" } }
      - id: echo
        uses: test.noop
        with: { phone: "{{ customer.phone }}" }
    wait: { event: never.sent, timeout: 30d }
    on:
      never.sent: done
      timeout: done
  done: { end: completed }
`,
  );
  await engine.api('PUT', '/api/customers/mei-chen-42', {
    ...person,
    tags: ['vip'],
    consent: { email: 'granted' },
  });
  await send(engine, 'mei-chen-42', 'signup', { referrer: 'mei.chen@example.org' });
  await send(engine, 'mei-chen-42', 'order.placed', { amount: 88, note: '陈美 called' });
  await waitForRun(engine, 'mei-chen-42', (r) =>
    r.history.some((h) => h.type === 'step.done' && h.step === 'echo'),
  );

  await publish(engine, care);
  await send(engine, 'mei-chen-42', 'care.start');
  const invite = await eventually(async () => {
    const r = await engine.api('GET', '/api/messages?customer=mei-chen-42');
    return r.body.messages.find((m: any) => m.template === 'survey-invite' && m.status === 'sent');
  });
  surveyUrl = /href="(http[^"]+\/s\/[^"]+)"/.exec(invite.html)?.[1] as string;
  const answered = await fetch(surveyUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ score: '4', reason: remark }).toString(),
  });
  expect(answered.status).toBe(200);
  await eventually(async () => {
    const r = await engine.api('GET', '/api/runs?customer=mei-chen-42&workflow=care');
    return r.body.runs[0]?.status === 'completed';
  });
  // The overdue task's reminder to its assignee, a staff message about her.
  await eventually(async () => {
    const r = await engine.api('GET', '/api/messages?customer=mei-chen-42');
    return r.body.messages.some((m: any) => m.purpose === 'staff' && m.status === 'sent');
  });
});
afterAll(async () => {
  await db?.end();
  await engine?.stop();
});

/** Every row of every table (Tend's and pg-boss's), as text, that contains a needle. */
async function findAnywhere(needle: string): Promise<string[]> {
  const tables = await db.query<{ schema: string; name: string }>(
    `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
     WHERE table_schema IN ('public', 'pgboss') AND table_type = 'BASE TABLE'`,
  );
  const hits: string[] = [];
  for (const t of tables.rows) {
    const r = await db.query(
      `SELECT count(*)::int AS n FROM "${t.schema}"."${t.name}" x WHERE x::text LIKE $1`,
      [`%${needle}%`],
    );
    if (r.rows[0].n > 0) hits.push(`${t.schema}.${t.name}`);
  }
  return hits;
}

describe('privacy', () => {
  it('exports everything Tend holds about a person', async () => {
    const r = await engine.api('GET', '/api/customers/mei-chen-42/export');
    expect(r.status).toBe(200);
    expect(r.body.customer).toMatchObject({ email: person.email, name: person.name, tags: ['vip'] });
    expect(r.body.events.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['signup', 'order.placed']),
    );
    expect(r.body.runs[0]).toMatchObject({
      workflow: 'greet',
      data: { vars: { contact: `${person.email} ${person.name}` } },
    });
    expect(r.body.history.length).toBeGreaterThan(2);
    expect(r.body.audit.map((a: { action: string }) => a.action)).toContain('create');
  });

  it('exports her messages, survey answers, tasks and points, decrypted', async () => {
    const r = await engine.api('GET', '/api/customers/mei-chen-42/export');
    const messages = r.body.messages as any[];
    expect(messages.find((m) => m.template === 'welcome')).toMatchObject({
      channel: 'email',
      status: 'sent',
      provider: 'devbox',
      to: person.email,
      subject: expect.stringContaining('陈美'),
      sentAt: expect.any(String),
    });
    expect(messages.find((m) => m.template === 'coupon')).toMatchObject({
      channel: 'sms',
      status: 'skipped',
      reason: 'no_consent',
      to: person.phone.replaceAll(' ', ''),
      sentAt: null,
    });
    expect(messages.find((m) => m.template === 'survey-invite')).toMatchObject({
      status: 'sent',
      to: person.email,
      html: expect.stringContaining(surveyUrl),
    });
    expect(messages.find((m) => m.purpose === 'staff')).toMatchObject({
      status: 'sent',
      to: 'devbox:sales-wu',
      text: expect.stringContaining('陈美'),
    });
    expect(r.body.surveys).toEqual([
      expect.objectContaining({
        survey: 'nps',
        workflow: 'care',
        channel: 'email',
        score: 4,
        answers: { score: 4, reason: remark },
        answeredAt: expect.any(String),
      }),
    ]);
    expect(r.body.tasks).toEqual([
      expect.objectContaining({
        title: 'Call 陈美 on +8613912345678',
        note: `Or write to ${person.email}`,
        assignee: 'sales-wu',
        status: 'open',
        workflowId: 'care',
      }),
    ]);
    expect(r.body.loyalty).toMatchObject({
      balance: 50,
      earned: 50,
      ledger: [
        { points: 50, status: 'applied', balance: 50, reason: 'welcome gift for 陈美', workflow: 'care' },
      ],
    });
  });

  it('shows the profile with stage, rfm, segments and a timeline', async () => {
    await eventually(
      async () => (await engine.api('GET', '/api/customers/mei-chen-42')).body.rfm?.orders === 1,
    );
    const r = await engine.api('GET', '/api/customers/mei-chen-42');
    expect(r.body).toMatchObject({ stage: 'active', rfm: { orders: 1, revenue: 88 }, segments: [] });
    expect(r.body.timeline.map((t: { kind: string; type: string }) => `${t.kind}:${t.type}`)).toEqual(
      expect.arrayContaining(['event:signup', 'event:order.placed', 'run:greet']),
    );
  });

  it('shows her messages, answers, tasks and points in the timeline, newest first', async () => {
    const { timeline } = (await engine.api('GET', '/api/customers/mei-chen-42')).body as {
      timeline: { at: string; kind: string; type: string; detail: any }[];
    };
    const entry = (kind: string, type: string) => timeline.find((t) => t.kind === kind && t.type === type);
    expect(entry('message', 'welcome')?.detail).toMatchObject({
      channel: 'email',
      status: 'sent',
      subject: expect.stringContaining('陈美'),
    });
    expect(entry('message', 'coupon')?.detail).toMatchObject({
      channel: 'sms',
      status: 'skipped',
      reason: 'no_consent',
    });
    expect(entry('survey', 'nps')?.detail).toMatchObject({ score: 4, answers: { score: 4, reason: remark } });
    expect(entry('task', 'open')?.detail).toMatchObject({
      title: 'Call 陈美 on +8613912345678',
      assignee: 'sales-wu',
    });
    expect(entry('loyalty', 'award')?.detail).toMatchObject({ points: 50, balance: 50 });
    expect(entry('run', 'care')).toBeDefined();
    const times = timeline.map((t) => Date.parse(t.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('erases every trace of personal data and keeps anonymous counts', async () => {
    // In clear before: copied into events, run data and step outputs (the birthday only ever
    // exists encrypted, so it is looked for after only).
    for (const needle of needles.filter((n) => n !== person.birthday)) {
      expect(await findAnywhere(needle), needle).not.toEqual([]);
    }
    const careHistory = (customer: string) =>
      db
        .query(
          `SELECT h.type, h.state, h.detail FROM run_history_entries h JOIN runs r ON r.id = h.run_id
           WHERE r.customer_id = $1 AND r.workflow_id = 'care' ORDER BY h.id, h.n`,
          [customer],
        )
        .then((r) => r.rows);
    const before = await careHistory('mei-chen-42');
    const erased = await engine.api('DELETE', '/api/customers/mei-chen-42');
    expect(erased).toMatchObject({ status: 200, body: { erased: true } });
    for (const needle of needles) expect(await findAnywhere(needle), needle).toEqual([]);
    // The ended run keeps every entry of its history (what happened, in which state), not their details.
    const after = await careHistory(erased.body.pseudonym);
    expect(after.map(({ type, state }) => ({ type, state }))).toEqual(
      before.map(({ type, state }) => ({ type, state })),
    );
    expect(after.filter((e) => e.detail !== null && Object.keys(e.detail).length > 0)).toEqual([]);
    const counts = await db.query(`SELECT count(*)::int AS n FROM events WHERE customer_id = $1`, [
      erased.body.pseudonym,
    ]);
    expect(counts.rows[0].n).toBeGreaterThanOrEqual(2);
    // Greet still waited (care had ended): erasure cancelled it.
    const run = await db.query(
      `SELECT status, outcome FROM runs WHERE customer_id = $1 AND workflow_id = 'greet'`,
      [erased.body.pseudonym],
    );
    expect(run.rows[0]).toEqual({ status: 'cancelled', outcome: 'erased' });
    expect((await engine.api('GET', '/api/customers/mei-chen-42')).status).toBe(404);

    // The plugins' tables keep anonymous counts under the pseudonym, and nothing to read.
    const pseudonym = erased.body.pseudonym;
    const outbox = await db.query(
      `SELECT key, template, purpose, status, reason, to_enc, content_enc, provider_id, detail, sent_at
       FROM outbox WHERE customer_id = $1`,
      [pseudonym],
    );
    expect(outbox.rows.length).toBeGreaterThanOrEqual(4);
    for (const m of outbox.rows) {
      expect(m).toMatchObject({ to_enc: null, content_enc: null, provider_id: null, detail: null });
    }
    expect(outbox.rows.find((m) => m.template === 'welcome')).toMatchObject({ status: 'sent' });
    expect(outbox.rows.find((m) => m.template === 'coupon')).toMatchObject({
      status: 'skipped',
      reason: 'no_consent',
    });
    const answer = await db.query(
      `SELECT survey, score, answers FROM plugin_surveys.answers WHERE customer_id = $1`,
      [pseudonym],
    );
    expect(answer.rows).toEqual([{ survey: 'nps', score: 4, answers: { score: 4 } }]);
    const results = await engine.api('GET', '/api/surveys/nps/results?workflow=care');
    expect(results.body).toMatchObject({ sent: 1, answered: 1, distribution: [{ score: 4, count: 1 }] });
    expect((await fetch(surveyUrl)).status).toBe(404);
    const tasks = await engine.api('GET', `/api/tasks?customer=${pseudonym}`);
    expect(tasks.body.tasks).toEqual([
      expect.objectContaining({ title: '(erased)', note: null, status: 'done', outcome: 'erased' }),
    ]);
    const ledger = await db.query(
      `SELECT points, balance, status, reason FROM plugin_loyalty.ledger WHERE customer_id = $1`,
      [pseudonym],
    );
    expect(ledger.rows).toEqual([{ points: 50, balance: 50, status: 'applied', reason: '(erased)' }]);
    const loyalty = await db.query(`SELECT facets->'loyalty' AS loyalty FROM customers WHERE id = $1`, [
      pseudonym,
    ]);
    expect(loyalty.rows).toEqual([{ loyalty: null }]);
    // A late bounce naming one of her messages would bring her address back: it is not taken.
    const bounce = await engine.api('POST', '/api/messages/callbacks/smtp', {
      messageId: outbox.rows.find((m) => m.template === 'welcome').key,
      event: 'bounced',
      reason: `550 <${person.email}> unknown`,
    });
    expect(bounce.status).toBe(404);
    expect(await findAnywhere(person.email)).toEqual([]);
    expect((await engine.api('GET', '/api/customers?email=mei.chen@example.org')).body.customers).toEqual([]);
  });

  it('lets only admins erase', async () => {
    const key = await engine.api('POST', '/api/keys', { name: 'ops', role: 'operator' });
    await engine.api('PUT', '/api/customers/keep-me', { email: 'keep@example.org' });
    const r = await engine.api('DELETE', '/api/customers/keep-me', undefined, { key: key.body.key });
    expect(r.status).toBe(403);
  });
});
