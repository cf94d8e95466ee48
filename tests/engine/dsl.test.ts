import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/engine.ts';
import { publish, runsOf, send, waitForRun } from '../support/journeys.ts';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
});
afterAll(async () => {
  await engine?.stop();
});

const ended = (r: { status: string }) => r.status !== 'active';

describe('workflow DSL on the real engine', () => {
  it('steps, next, choose and end outcomes; core.set and step outputs feed conditions', async () => {
    await publish(
      engine,
      `
id: dsl-basic
name: Basic
trigger: { event: basic.start }
start: a
states:
  a:
    steps:
      - uses: core.set
        with: { values: { tier: "{{ event.data.tier }}" } }
      - id: probe
        uses: test.noop
        with: { score: 7 }
    next: b
  b:
    choose:
      - when: 'run.vars.tier == "gold" && run.steps.probe.score > 5'
        next: gold
      - next: plain
  gold: { end: gold }
  plain: { end: plain }
`,
    );
    await send(engine, 'basic-1', 'basic.start', { tier: 'gold' });
    await send(engine, 'basic-2', 'basic.start', { tier: 'tin' });
    const gold = await waitForRun(engine, 'basic-1', ended);
    const plain = await waitForRun(engine, 'basic-2', ended);
    expect(gold).toMatchObject({ status: 'completed', outcome: 'gold', vars: { tier: 'gold' } });
    expect(plain).toMatchObject({ status: 'completed', outcome: 'plain' });
    expect(gold.history.filter((h) => h.type === 'state.entered').map((h) => h.state)).toEqual([
      'a',
      'b',
      'gold',
    ]);
  });

  it('a trigger filter (where) decides who enters', async () => {
    await publish(
      engine,
      `
id: dsl-where
name: Where
trigger:
  event: where.start
  where: 'event.data.country == "CN"'
start: done
states:
  done: { end: completed }
`,
    );
    await send(engine, 'where-cn', 'where.start', { country: 'CN' });
    await send(engine, 'where-us', 'where.start', { country: 'US' });
    await waitForRun(engine, 'where-cn', ended);
    await new Promise((r) => setTimeout(r, 500));
    expect(await runsOf(engine, 'where-us', 'dsl-where')).toEqual([]);
  });

  it('a trigger key runs once per customer and key (one journey per cart)', async () => {
    await publish(
      engine,
      `
id: dsl-cart
name: Cart
trigger:
  event: cart.abandoned
  key: 'event.data.cartId'
exit:
  - event: order.placed
    where: 'event.data.cartId == run.key'
    outcome: bought
start: wait
states:
  wait:
    wait: { event: never.happens, timeout: 1h }
    on:
      never.happens: done
      timeout: done
  done: { end: completed }
`,
    );
    await send(engine, 'cart-1', 'cart.abandoned', { cartId: 'A' });
    await send(engine, 'cart-1', 'cart.abandoned', { cartId: 'A' });
    await send(engine, 'cart-1', 'cart.abandoned', { cartId: 'B' });
    const runs = await waitForRuns(2);
    expect(runs.every((r) => r.status === 'active')).toBe(true);
    await send(engine, 'cart-1', 'order.placed', { cartId: 'B' });
    await waitFor(async () => {
      const all = await runsOf(engine, 'cart-1', 'dsl-cart');
      return (
        all.filter((r) => r.outcome === 'bought').length === 1 &&
        all.filter((r) => r.status === 'active').length === 1
      );
    });

    async function waitForRuns(n: number) {
      let runs: Awaited<ReturnType<typeof runsOf>> = [];
      await waitFor(async () => {
        runs = await runsOf(engine, 'cart-1', 'dsl-cart');
        return runs.length === n;
      });
      await new Promise((r) => setTimeout(r, 300));
      return runsOf(engine, 'cart-1', 'dsl-cart');
    }
  });

  it('entry.reenter: never, always and after a duration', async () => {
    for (const [id, reenter] of [
      ['dsl-never', 'never'],
      ['dsl-always', 'always'],
      ['dsl-after', 'after 1h'],
    ] as const) {
      await publish(
        engine,
        `
id: ${id}
name: Reenter ${reenter}
trigger: { event: ${id}.go }
entry: { reenter: ${reenter} }
start: done
states:
  done: { end: completed }
`,
      );
      await send(engine, 'reenter-1', `${id}.go`);
      await waitFor(async () => (await runsOf(engine, 'reenter-1', id)).length === 1);
      await send(engine, 'reenter-1', `${id}.go`);
    }
    await new Promise((r) => setTimeout(r, 1000));
    expect((await runsOf(engine, 'reenter-1', 'dsl-never')).length).toBe(1);
    expect((await runsOf(engine, 'reenter-1', 'dsl-always')).length).toBe(2);
    expect((await runsOf(engine, 'reenter-1', 'dsl-after')).length).toBe(1);
  });

  it('waits for an event with where, guarded branches and a timeout', async () => {
    await publish(
      engine,
      `
id: dsl-wait
name: Wait
trigger: { event: wait.start }
start: ask
states:
  ask:
    wait:
      event: survey.answered
      where: 'event.data.survey == "nps"'
      timeout: 2s
    on:
      survey.answered:
        - when: 'event.data.score <= 6'
          next: detractor
        - next: promoter
      timeout: silent
  detractor: { end: detractor }
  promoter: { end: promoter }
  silent: { end: silent }
`,
    );
    await send(engine, 'wait-1', 'wait.start');
    await send(engine, 'wait-2', 'wait.start');
    await send(engine, 'wait-3', 'wait.start');
    await waitForRun(engine, 'wait-1', (r) => r.state === 'ask');
    await send(engine, 'wait-1', 'survey.answered', { survey: 'other', score: 2 });
    await send(engine, 'wait-1', 'survey.answered', { survey: 'nps', score: 3 });
    await send(engine, 'wait-2', 'survey.answered', { survey: 'nps', score: 9 });
    const detractor = await waitForRun(engine, 'wait-1', ended);
    expect(detractor.outcome).toBe('detractor');
    expect(detractor.history.some((h) => h.type === 'event.ignored')).toBe(true);
    expect((await waitForRun(engine, 'wait-2', ended)).outcome).toBe('promoter');
    const started = Date.now();
    expect((await waitForRun(engine, 'wait-3', ended)).outcome).toBe('silent');
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('delays: for a duration, until a CEL time, at a local time on weekdays; split arms', async () => {
    await publish(
      engine,
      `
id: dsl-delays
name: Delays
trigger: { event: delays.start }
start: pause
states:
  pause:
    wait: { for: 1s }
    next: until
  until:
    wait: { until: 'now + duration("1s")' }
    split:
      - { weight: 50, next: morning }
      - { weight: 50, next: morning, label: b }
  morning:
    wait: { at: "09:30", weekdays: [tue, thu] }
    next: done
  done: { end: completed }
`,
    );
    await engine.api('PUT', '/api/customers/delay-1', { timezone: 'Asia/Shanghai' });
    const started = Date.now();
    await send(engine, 'delay-1', 'delays.start');
    const run = await waitForRun(engine, 'delay-1', (r) => r.state === 'morning');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    const timer = run.history.filter((h) => h.type === 'timer.set').at(-1);
    const due = new Date(timer?.detail.dueAt);
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Shanghai',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
    }).format(due);
    expect(local).toMatch(/^(Tue|Thu) 09:30$/);
  });

  it('onError routes a failed step; without it the run fails with the error', async () => {
    await publish(
      engine,
      `
id: dsl-errors
name: Errors
trigger: { event: errors.start }
start: a
states:
  a:
    steps:
      - id: first
        uses: test.fail
        with: { code: bounced }
        onError: continue
      - uses: test.fail
        with: { code: rejected }
        onError: { next: rescue }
    next: never
  never: { end: never }
  rescue:
    steps:
      - uses: test.fail
    next: never
`,
    );
    await send(engine, 'errors-1', 'errors.start');
    const run = await waitForRun(engine, 'errors-1', ended);
    expect(run).toMatchObject({ status: 'failed', outcome: 'failed', state: 'rescue' });
    expect(run.steps.first).toMatchObject({ error: { code: 'bounced' } });
  });

  it('retries a retryable failure with backoff, then succeeds', async () => {
    await publish(
      engine,
      `
id: dsl-retry
name: Retry
trigger: { event: retry.start }
start: a
states:
  a:
    steps:
      - id: flaky
        uses: test.flaky
        with: { times: 2 }
    next: done
  done: { end: completed }
`,
    );
    await send(engine, 'retry-1', 'retry.start');
    const run = await waitForRun(engine, 'retry-1', ended, 30_000);
    expect(run).toMatchObject({ status: 'completed', steps: { flaky: { attempts: 3 } } });
  });
});

async function waitFor(check: () => Promise<boolean>, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}
