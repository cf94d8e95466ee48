import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, eventually, startTestEngine, type TestEngine } from '../support/engine.ts';
import { publish, send, waitForRun } from '../support/journeys.ts';

let engine: TestEngine;

const journey = `
id: nps-check
name: NPS check
trigger: { event: nps.ask }
start: ask
states:
  ask:
    steps:
      - id: invite
        uses: surveys.send
        with: { survey: nps, channel: email }
    wait: { event: survey.answered, where: 'event.data.survey == "nps"', timeout: 14d }
    on:
      survey.answered:
        - when: "event.data.score <= 6"
          next: detractor
        - next: fine
      timeout: fine
  detractor:
    steps:
      - uses: tasks.create
        with: { title: "Call {{ customer.name }}: NPS {{ event.data.score }}", due: 1d }
    end: detractor
  fine: { end: fine }
`;

/** The survey link in the invitation the customer got (the dev mailbox keeps it). */
async function surveyLink(customer: string): Promise<string> {
  const mail = await eventually(async () => {
    const r = await engine.api('GET', `/api/messages?customer=${customer}`);
    return r.body.messages.find((m: any) => m.status === 'sent');
  });
  const url = /href="(http[^"]+\/s\/[^"]+)"/.exec(mail.html)?.[1];
  expect(url).toBeTruthy();
  return url as string;
}

const answer = (url: string, form: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
  });

beforeAll(async () => {
  engine = await startTestEngine();
  await publish(engine, journey);
  const customers: [string, string][] = [
    ['ana', 'en'],
    ['bei', 'zh-CN'],
    ['cyd', 'en'],
  ];
  for (const [id, locale] of customers)
    await engine.api('PUT', `/api/customers/${id}`, {
      email: `${id}@example.com`,
      name: id.toUpperCase(),
      locale,
      owner: 'owner-1',
      consent: { email: 'granted' },
    });
});
afterAll(async () => {
  await engine?.stop();
});

describe('a survey answered through the hosted page', () => {
  it('shows a mobile-friendly page in the customer’s language', async () => {
    await send(engine, 'bei', 'nps.ask');
    const url = await surveyLink('bei');
    const page = await fetch(url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('name="viewport"');
    expect(html).toContain('您有多大可能向朋友推荐我们');
    expect(html.match(/type="radio" name="score"/g)).toHaveLength(11);
  });

  it('a detractor’s answer moves the run down the detractor branch; a second answer does not count', async () => {
    await send(engine, 'ana', 'nps.ask');
    const url = await surveyLink('ana');
    const first = await answer(url, 'score=3&reason=Late+delivery');
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('Your feedback helps us roast better coffee');
    const run = await waitForRun(engine, 'ana', (r) => r.status === 'completed');
    expect(run.outcome).toBe('detractor');
    const tasks = await engine.api('GET', '/api/tasks?assignee=owner-1');
    expect(tasks.body.tasks.map((t: any) => t.title)).toContain('Call ANA: NPS 3');

    const again = await answer(url, 'score=10');
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('already answered');
    expect((await fetch(url)).status).toBe(200);
    const results = await engine.api('GET', '/api/surveys/nps/results');
    expect(results.body).toMatchObject({
      survey: 'nps',
      answered: 1,
      distribution: [{ score: 3, count: 1 }],
      nps: -100,
    });
    const events = await eventually(async () => {
      const r = await engine.api('GET', '/api/runs?customer=ana');
      return r.body.runs.length === 1 ? r.body.runs : undefined;
    });
    expect(events).toHaveLength(1);
  });

  it('bad answers get the form back with a 400, and store nothing', async () => {
    await send(engine, 'cyd', 'nps.ask');
    const url = await surveyLink('cyd');
    const outOfRange = await answer(url, 'score=11');
    expect(outOfRange.status).toBe(400);
    expect(await outOfRange.text()).toContain('Please pick one of the numbers.');
    expect((await answer(url, 'reason=no+score')).status).toBe(400);
    const huge = await answer(url, `score=9&reason=${'x'.repeat(100_000)}`);
    expect(huge.status).toBe(413);
    const json = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"score":9}',
    });
    expect(json.status).toBe(400);
    const results = await engine.api('GET', '/api/surveys/nps/results');
    expect(results.body.answered).toBe(1);
    expect((await answer(url, 'score=9')).status).toBe(200);
    const run = await waitForRun(engine, 'cyd', (r) => r.status === 'completed');
    expect(run.outcome).toBe('fine');
  });

  it('a forged, altered or unknown token is a plain 404 page', async () => {
    const url = await surveyLink('ana');
    const [base, token] = url.split('/s/') as [string, string];
    const [body, mac] = token.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
    const forged = `${Buffer.from(JSON.stringify({ ...payload, exp: payload.exp + 86400 })).toString('base64url')}.${mac}`;
    for (const bad of [forged, `${body}.${'A'.repeat(mac.length)}`, 'not-a-token', '']) {
      const r = await fetch(`${base}/s/${bad}`);
      expect(r.status, bad).toBe(404);
      expect(await r.text()).not.toContain('<form');
      expect((await answer(`${base}/s/${bad}`, 'score=0')).status).toBe(404);
    }
  });

  it('reports response rate, NPS and distribution per survey and workflow', async () => {
    const all = await engine.api('GET', '/api/surveys/nps/results?workflow=nps-check');
    expect(all.body).toMatchObject({
      survey: 'nps',
      kind: 'nps',
      sent: 3,
      answered: 2,
      responseRate: 0.6667,
      nps: 0,
      promoters: 1,
      detractors: 1,
      distribution: [
        { score: 3, count: 1 },
        { score: 9, count: 1 },
      ],
    });
    // The whole 0–10 scale, scores nobody gave included; every comment with its customer.
    expect(all.body.scale).toHaveLength(11);
    expect(all.body.scale[0]).toEqual({ score: 0, count: 0 });
    expect(all.body.scale[3]).toEqual({ score: 3, count: 1 });
    expect(all.body.comments).toEqual([
      expect.objectContaining({ customerId: 'ana', score: 3, question: 'reason', text: 'Late delivery' }),
    ]);
    const none = await engine.api('GET', '/api/surveys/nps/results?workflow=other');
    expect(none.body).toMatchObject({ sent: 0, answered: 0, responseRate: 0, nps: null });
    expect((await engine.api('GET', '/api/surveys/nope/results')).status).toBe(404);
    const csat = await engine.api('GET', '/api/surveys/csat/results');
    expect(csat.body).toMatchObject({ kind: 'csat', sent: 0, csat: null });
  });

  it('gives NPS over time, narrows by the days sent, and exports the answers as CSV', async () => {
    const { comments } = (await engine.api('GET', '/api/surveys/nps/results')).body;
    const answeredAt = new Date(comments[0].answeredAt);
    // The Monday of that week and the first of that month, in Shanghai.
    const local = new Date(answeredAt.getTime() + 8 * 3_600_000);
    const monday = new Date(local.getTime() - ((local.getUTCDay() + 6) % 7) * 86_400_000);
    const week = await engine.api('GET', '/api/surveys/nps/trend?by=week&tz=Asia/Shanghai');
    expect(week.body).toMatchObject({
      kind: 'nps',
      by: 'week',
      periods: [
        { period: monday.toISOString().slice(0, 10), answers: 2, nps: 0, promoters: 1, detractors: 1 },
      ],
    });
    const month = await engine.api('GET', '/api/surveys/nps/trend?by=month&tz=Asia/Shanghai');
    expect(month.body.periods).toEqual([
      expect.objectContaining({ period: `${local.toISOString().slice(0, 7)}-01`, answers: 2 }),
    ]);

    const later = new Date(answeredAt.getTime() + 86_400_000).toISOString();
    const none = await engine.api('GET', `/api/surveys/nps/results?from=${encodeURIComponent(later)}`);
    expect(none.body).toMatchObject({ sent: 0, answered: 0 });
    const earlier = new Date(answeredAt.getTime() - 86_400_000).toISOString();
    const all = await engine.api('GET', `/api/surveys/nps/results?from=${encodeURIComponent(earlier)}`);
    expect(all.body).toMatchObject({ sent: 3, answered: 2 });

    const csv = await fetch(`${engine.url}/api/surveys/nps/answers.csv`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toContain('nps-answers.csv');
    const lines = (await csv.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('answered_at,customer_id,score,reason,journey,channel,segment,stage,sent_at');
    expect(lines).toHaveLength(3);
    expect(lines.find((l) => l.includes(',ana,'))).toContain('Late delivery');

    for (const query of ['by=year', 'tz=Mars/Olympus', 'from=soon', `from=${later}&to=${earlier}`]) {
      const r = await engine.api('GET', `/api/surveys/nps/trend?${query}`);
      expect(r.status, query).toBe(400);
    }
    expect((await engine.api('GET', '/api/surveys/nps/results?to=never')).status).toBe(400);
  });
});
