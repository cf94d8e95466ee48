import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestEngine, type TestEngine } from '../support/engine.ts';
import { publish, runsOf, send, waitForRun } from '../support/journeys.ts';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
  await publish(
    engine,
    `
id: race
name: Inbox race
trigger: { event: race.start }
exit:
  - event: order.placed
    outcome: converted
start: mail
states:
  mail:
    steps:
      - uses: test.slow
        with: { ms: 1500 }
    wait: { event: [message.clicked, message.opened], timeout: 1h }
    on:
      message.clicked: clicked
      message.opened: opened
      timeout: done
  clicked: { end: clicked }
  opened: { end: opened }
  done: { end: completed }
`,
  );
});
afterAll(async () => {
  await engine?.stop();
});

describe('runtime guarantees', () => {
  it('an event id makes ingest idempotent: the second copy is not applied', async () => {
    await publish(
      engine,
      `
id: counter
name: Count
trigger: { event: ping }
entry: { reenter: always }
start: done
states:
  done: { end: completed }
`,
    );
    const first = await send(engine, 'idem-1', 'ping', {}, 'evt-42');
    const second = await send(engine, 'idem-1', 'ping', {}, 'evt-42');
    expect(first).toEqual({ id: 'evt-42', duplicate: false });
    expect(second).toEqual({ id: 'evt-42', duplicate: true });
    const batch = await engine.api('POST', '/api/events/batch', [
      { id: 'evt-42', customerId: 'idem-1', type: 'ping' },
      { id: 'evt-43', customerId: 'idem-1', type: 'ping' },
      { id: 'evt-43', customerId: 'idem-1', type: 'ping' },
    ]);
    expect(batch).toMatchObject({ status: 202, body: { accepted: 1, duplicates: 2 } });
    await new Promise((r) => setTimeout(r, 1000));
    expect((await runsOf(engine, 'idem-1', 'counter')).length).toBe(2);
  });

  it('an event id is unique per customer: the same id for another customer is that customer’s event', async () => {
    await publish(
      engine,
      `
id: per-customer
name: Count pongs
trigger: { event: pong }
entry: { reenter: always }
start: done
states:
  done: { end: completed }
`,
    );
    // Sent at once, so that group commits store several of them together.
    const customers = Array.from({ length: 8 }, (_, i) => `idem-${i + 2}`);
    const sent = await Promise.all(customers.map((customer) => send(engine, customer, 'pong', {}, 'evt-77')));
    expect(sent).toEqual(customers.map(() => ({ id: 'evt-77', duplicate: false })));
    expect(await send(engine, 'idem-3', 'pong', {}, 'evt-77')).toEqual({ id: 'evt-77', duplicate: true });
    for (const customer of customers)
      await eventually(async () => (await runsOf(engine, customer, 'per-customer')).length === 1);
  });

  it('an event for an unknown customer creates the customer', async () => {
    await send(engine, 'brand-new', 'ping');
    const r = await engine.api('GET', '/api/customers/brand-new');
    expect(r).toMatchObject({ status: 200, body: { id: 'brand-new', tags: [], attributes: {} } });
  });

  it('the inbox keeps an event that arrives while steps run, and matches it at the wait', async () => {
    await send(engine, 'race-1', 'race.start');
    await waitForRun(engine, 'race-1', (r) => r.history.some((h) => h.type === 'state.entered'));
    await send(engine, 'race-1', 'message.opened');
    const queued = await waitForRun(engine, 'race-1', (r) =>
      r.history.some((h) => h.type === 'event.queued'),
    );
    expect(queued.status).toBe('active');
    const run = await waitForRun(engine, 'race-1', (r) => r.status !== 'active');
    expect(run.outcome).toBe('opened');
    const types = run.history.map((h) => h.type);
    expect(types.indexOf('event.queued')).toBeLessThan(types.indexOf('step.done'));
    expect(types.indexOf('step.done')).toBeLessThan(types.indexOf('event.matched'));
  });

  it('inbox events keep their order: the first one wins', async () => {
    await send(engine, 'race-2', 'race.start');
    await waitForRun(engine, 'race-2', (r) => r.history.some((h) => h.type === 'state.entered'));
    await send(engine, 'race-2', 'message.clicked');
    await send(engine, 'race-2', 'message.opened');
    const run = await waitForRun(engine, 'race-2', (r) => r.status !== 'active');
    expect(run.outcome).toBe('clicked');
  });

  it('an exit goal ends a waiting run', async () => {
    await send(engine, 'exit-1', 'race.start');
    await waitForRun(
      engine,
      'exit-1',
      (r) => r.state === 'mail' && r.history.some((h) => h.type === 'timer.set'),
    );
    await send(engine, 'exit-1', 'order.placed', { amount: 10 });
    const run = await waitForRun(engine, 'exit-1', (r) => r.status !== 'active');
    expect(run).toMatchObject({ status: 'completed', outcome: 'converted', state: 'mail' });
    expect(run.history.some((h) => h.type === 'goal.reached')).toBe(true);
  });

  it('an event the state does not wait for is recorded as ignored', async () => {
    await send(engine, 'ignore-1', 'race.start');
    await waitForRun(engine, 'ignore-1', (r) => r.history.some((h) => h.type === 'timer.set'));
    await send(engine, 'ignore-1', 'newsletter.read');
    const ignored = (h: { type: string; detail: any }) =>
      h.type === 'event.ignored' && h.detail?.event === 'newsletter.read';
    const run = await waitForRun(engine, 'ignore-1', (r) => r.history.some(ignored));
    expect(run.status).toBe('active');
    expect(run.history.find(ignored)?.detail).toMatchObject({
      event: 'newsletter.read',
      reason: expect.stringMatching(/not waiting/),
    });
  });

  it('publishing a new version leaves running customers on theirs', async () => {
    await send(engine, 'pinned-1', 'race.start');
    await waitForRun(engine, 'pinned-1', (r) => r.history.some((h) => h.type === 'timer.set'));
    await publish(
      engine,
      `
id: race
name: Inbox race v2
trigger: { event: race.start }
start: other
states:
  other: { end: v2 }
`,
    );
    await send(engine, 'pinned-1', 'message.clicked');
    const run = await waitForRun(engine, 'pinned-1', (r) => r.status !== 'active');
    expect(run.outcome).toBe('clicked');
    const [latest] = await runsOf(engine, 'pinned-1', 'race');
    const detail = await engine.api('GET', `/api/runs/${latest?.id}`);
    expect(detail.body.version).toBe(1);
  });
});

describe('events while a run is busy', () => {
  beforeAll(async () => {
    await publish(
      engine,
      `
id: busy
name: Busy steps
trigger: { event: busy.start }
start: work
states:
  work:
    steps:
      - uses: test.busy
        with: { ms: 1500 }
    wait: { event: message.opened, timeout: 1h }
    on:
      message.opened: opened
      timeout: done
  opened: { end: opened }
  done: { end: completed }
`,
    );
    await publish(
      engine,
      `
id: ask
name: Ask and wait
trigger: { event: ask.start }
start: ask
states:
  ask:
    steps:
      - id: question
        uses: test.ask
        with: { ms: 1500, event: '{{ event.data.wait }}' }
      - id: after
        uses: test.noop
    next: answered
  answered: { end: answered }
`,
    );
  });

  it('an event no state waits for is ignored at once, without touching the busy run', async () => {
    await send(engine, 'busy-1', 'busy.start');
    await waitForRun(engine, 'busy-1', (r) => r.history.some((h) => h.type === 'run.started'));
    const rev = async () => {
      const db = new pg.Client({ connectionString: engine.databaseUrl });
      await db.connect();
      const r = await db.query<{ rev: number }>(
        `SELECT rev FROM runs WHERE customer_id = 'busy-1' AND workflow_id = 'busy'`,
      );
      await db.end();
      return r.rows[0]?.rev ?? -1;
    };
    const before = await rev();
    await send(engine, 'busy-1', 'newsletter.read');
    await send(engine, 'busy-1', 'message.opened');
    const ignored = (h: { type: string; detail: any }) =>
      h.type === 'event.ignored' && h.detail?.event === 'newsletter.read';
    const queued = (h: { type: string; detail: any }) =>
      h.type === 'event.queued' && h.detail?.event === 'message.opened';
    const seen = await waitForRun(engine, 'busy-1', (r) => r.history.some(ignored) && r.history.some(queued));
    expect(seen.history.find(ignored)?.detail.reason).toMatch(/no state of this journey waits for/);
    expect(seen.history.some((h) => h.type === 'event.queued' && h.detail?.event === 'newsletter.read')).toBe(
      false,
    );
    // One touch: message.opened, which the next state waits for, went into the inbox.
    expect(await rev()).toBe(before + 1);
    const run = await waitForRun(engine, 'busy-1', (r) => r.status !== 'active');
    expect(run.outcome).toBe('opened');
  });

  it('an answer that comes while the asking step still runs completes its wait', async () => {
    await send(engine, 'ask-1', 'ask.start', { wait: 'answer.given' });
    await waitForRun(engine, 'ask-1', (r) => r.history.some((h) => h.type === 'run.started'));
    await send(engine, 'ask-1', 'answer.given', { yes: true });
    const run = await waitForRun(engine, 'ask-1', (r) => r.status !== 'active');
    expect(run.outcome).toBe('answered');
    expect(run.steps.question).toMatchObject({ event: { type: 'answer.given', data: { yes: true } } });
  });

  it('a step that waits for an event its manifest does not name fails with a clear error', async () => {
    await send(engine, 'ask-2', 'ask.start', { wait: 'something.else' });
    const run = await waitForRun(engine, 'ask-2', (r) => r.status !== 'active');
    expect(run.status).toBe('failed');
    const failed = run.history.find((h) => h.type === 'step.failed');
    expect(failed?.detail.error).toMatchObject({ code: 'undeclared_wait', kind: 'engine' });
  });
});
