import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestEngine, TestClock, type TestEngine } from '../support/engine.ts';
import { publish, send } from '../support/journeys.ts';

/*
 * The outbox as an operator searches it: by journey, channel, status, reason and period, a page
 * at a time without repeating or skipping anyone, and counted by status and reason.
 */
let engine: TestEngine;
const clock = new TestClock('2026-11-10T02:00:00Z');

const journey = (id: string) => `
id: ${id}
name: ${id}
trigger: { event: ${id}.go }
entry: { reenter: always }
start: mail
states:
  mail:
    steps:
      - uses: messaging.send
        with: { channel: email, template: welcome }
    end: done
`;

/** customer → [journey, day of November] */
const SENDS: [string, string, number][] = [
  ['ok1', 'outbox-a', 10],
  ['ok2', 'outbox-a', 10],
  ['noconsent', 'outbox-a', 11],
  ['noaddress', 'outbox-b', 11],
  ['ok3', 'outbox-b', 12],
];

beforeAll(async () => {
  engine = await startTestEngine({}, { clock });
  await publish(engine, journey('outbox-a'));
  await publish(engine, journey('outbox-b'));
  const people = [
    { id: 'ok1', email: 'ok1@example.com', consent: { email: 'granted' } },
    { id: 'ok2', email: 'ok2@example.com', consent: { email: 'granted' } },
    { id: 'ok3', email: 'ok3@example.com', consent: { email: 'granted' } },
    { id: 'noconsent', email: 'nc@example.com' },
    { id: 'noaddress', consent: { email: 'granted' } },
  ];
  expect((await engine.api('POST', '/api/customers/batch', people)).status).toBe(200);
  let n = 0;
  for (const [customer, workflow, day] of SENDS) {
    clock.set(`2026-11-${day}T02:00:00Z`);
    await send(engine, customer, `${workflow}.go`);
    n++;
    await eventually(
      async () => (await engine.api('GET', '/api/messages?limit=500')).body.messages.length === n,
    );
  }
});
afterAll(async () => {
  await engine?.stop();
});

async function keysOf(query: string, limit = 500): Promise<string[]> {
  const out: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 20; page++) {
    const r = await engine.api(
      'GET',
      `/api/messages?${query}&limit=${limit}${after ? `&after=${after}` : ''}`,
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    out.push(...r.body.messages.map((m: { customerId: string }) => m.customerId));
    after = r.body.next;
    if (!after) return out;
  }
  throw new Error('more than 20 pages');
}

describe('the outbox, filtered', () => {
  it('filters by journey, status, reason and period, newest first', async () => {
    // ok1 and ok2 were sent at the same moment: the one with the smaller key comes first.
    expect((await keysOf('workflow=outbox-a'))[0]).toBe('noconsent');
    expect((await keysOf('workflow=outbox-a')).sort()).toEqual(['noconsent', 'ok1', 'ok2']);
    // Both skipped on the 11th, at the same moment.
    expect((await keysOf('status=skipped')).sort()).toEqual(['noaddress', 'noconsent']);
    expect(await keysOf('reason=no_consent')).toEqual(['noconsent']);
    expect(await keysOf('reason=no_address&channel=email')).toEqual(['noaddress']);
    expect((await keysOf('from=2026-11-11T00:00:00Z&to=2026-11-12T00:00:00Z')).sort()).toEqual([
      'noaddress',
      'noconsent',
    ]);
    expect(await keysOf('from=2026-11-12T00:00:00%2B08:00')).toEqual(['ok3']);
  });

  it('pages one by one without repeating or skipping', async () => {
    const all = await keysOf('channel=email');
    expect(all).toHaveLength(5);
    expect(await keysOf('channel=email', 1)).toEqual(all);
    expect(await keysOf('channel=email', 2)).toEqual(all);
    expect(all[0]).toBe('ok3');
  });

  it('counts a filter by status and reason', async () => {
    const all = await engine.api('GET', '/api/messages/summary');
    expect(all.body.total).toBe(5);
    expect(all.body.counts).toEqual(
      expect.arrayContaining([
        { status: 'sent', reason: null, count: 3 },
        { status: 'skipped', reason: 'no_consent', count: 1 },
        { status: 'skipped', reason: 'no_address', count: 1 },
      ]),
    );
    const b = await engine.api('GET', '/api/messages/summary?workflow=outbox-b&from=2026-11-12T00:00:00Z');
    expect(b.body).toEqual({ total: 1, counts: [{ status: 'sent', reason: null, count: 1 }] });
  });

  it('refuses bad filters, naming them', async () => {
    for (const [query, word] of [
      ['reason=DROP%20TABLE', 'reason'],
      ['from=yesterday', 'from'],
      ['from=-271821-04-20T00:00:00Z', 'from'],
      ['to=%2B275760-09-13T00:00:00Z', 'to'],
      ['from=2026-11-12T00:00:00Z&to=2026-11-11T00:00:00Z', 'before to'],
      ['after=not-a-cursor', 'after'],
      ['status=lost', 'status'],
    ]) {
      const r = await engine.api('GET', `/api/messages?${query}`);
      expect(r.status, query).toBe(400);
      expect(r.body.error.message).toContain(word);
    }
    expect((await engine.api('GET', '/api/messages/summary?to=soon')).status).toBe(400);
  });
});
