import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestEngine, type TestEngine } from '../support/engine.ts';
import { publish, runsOf, send } from '../support/journeys.ts';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine({ TEND_SWEEP_MS: '3600000' });
  // A segment trigger names a saved segment: saved first with nobody in it, defined in the test.
  await engine.api('PUT', '/api/segments/big-spenders', { name: 'Big spenders', definition: 'false' });
  await publish(
    engine,
    `
id: vip-welcome
name: Welcome to the VIP club
trigger: { segment: big-spenders }
start: hello
states:
  hello:
    steps: [ { uses: test.noop, with: { card: vip } } ]
    end: welcomed
`,
  );
  for (let i = 0; i < 30; i++) {
    await engine.api('PUT', `/api/customers/seg-${i}`, {
      tags: i % 3 === 0 ? ['newsletter'] : [],
      attributes: { city: i % 2 ? 'Hangzhou' : 'Shanghai' },
    });
  }
  await engine.api('POST', '/api/events/batch', [
    { customerId: 'seg-1', type: 'order.placed', data: { amount: 900 } },
    { customerId: 'seg-1', type: 'order.placed', data: { amount: 300 } },
    { customerId: 'seg-2', type: 'order.placed', data: { amount: 50 } },
  ]);
  await eventually(async () => (await engine.api('GET', '/api/customers/seg-1')).body.rfm?.orders === 2);
});
afterAll(async () => {
  await engine?.stop();
});

describe('segments', () => {
  it('refuses a definition that is not valid CEL, saying where', async () => {
    const r = await engine.api('POST', '/api/segments', {
      id: 'bad',
      name: 'Bad',
      definition: 'customer.rfm.revenue >',
    });
    expect(r.status).toBe(422);
    expect(r.body.error.message).toMatch(/CEL at character \d+/);
  });

  it('previews a definition over the whole base', async () => {
    const r = await engine.api('POST', '/api/segments/preview', {
      definition: 'customer.attributes.city == "Hangzhou"',
      limit: 5,
    });
    expect(r.body).toMatchObject({ matched: 15, scanned: 30 });
    expect(r.body.sample).toHaveLength(5);
  });

  it('keeps member counts, and entering a segment starts the journeys it triggers', async () => {
    const created = await engine.api('PUT', '/api/segments/big-spenders', {
      name: 'Big spenders',
      definition: 'has(customer.rfm.revenue) && customer.rfm.revenue >= 1000',
    });
    expect(created.status).toBe(200);
    const segment = await eventually(async () => {
      const s = (await engine.api('GET', '/api/segments/big-spenders')).body;
      return s.evaluatedAt && s.memberCount > 0 ? s : undefined;
    });
    expect(segment).toMatchObject({ memberCount: 1, members: ['seg-1'] });
    await eventually(async () => (await runsOf(engine, 'seg-1', 'vip-welcome')).length === 1);

    // seg-2 buys more and crosses the line: enters at once, and the journey starts.
    await send(engine, 'seg-2', 'order.placed', { amount: 1000 });
    await eventually(async () => (await runsOf(engine, 'seg-2', 'vip-welcome')).length === 1);
    expect((await engine.api('GET', '/api/segments/big-spenders')).body.members).toEqual(['seg-1', 'seg-2']);
  });

  it('follows profile changes, and records leaving as an event', async () => {
    await engine.api('POST', '/api/segments', {
      id: 'newsletter',
      name: 'Newsletter readers',
      definition: '"newsletter" in customer.tags',
    });
    await eventually(
      async () => (await engine.api('GET', '/api/segments/newsletter')).body.memberCount === 10,
    );
    await engine.api('PUT', '/api/customers/seg-0', { tags: [] });
    const s = await engine.api('GET', '/api/segments/newsletter');
    expect(s.body.members).not.toContain('seg-0');
    const events = await engine.api('GET', '/api/customers/seg-0');
    expect(events.status).toBe(200);
  });
});
