import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestEngine, TestClock, type TestEngine } from '../support/engine.ts';
import { publish, runsOf, send } from '../support/journeys.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'lifecycle');
// Starts at the real time: pg-boss runs timers on the real clock, so a virtual past would fire
// every wait at once.
const clock = new TestClock(new Date().toISOString());
const DAY = 86_400_000;
let engine: TestEngine;

beforeAll(async () => {
  engine = await startTestEngine({ TEND_WORKFLOWS_DIR: fixtures, TEND_SWEEP_MS: '3600000' }, { clock });
  await publish(
    engine,
    `
id: win-back
name: Win back churned customers
trigger: { stage: churned }
exit:
  - { event: order.placed, outcome: won-back }
start: wait
states:
  wait:
    wait: { event: never.sent, timeout: 30d }
    on:
      never.sent: done
      timeout: done
  done: { end: completed }
`,
  );
});
afterAll(async () => {
  await engine?.stop();
});

const stageOf = async (id: string) =>
  (await engine.api('GET', `/api/customers/${id}`)).body.stage as string | null;
const recompute = async () => (await engine.api('POST', '/api/lifecycle/recompute')).body;

describe('lifecycle stages', () => {
  it('moves a customer from new to active on an order, then to at risk and churned by inactivity; win-back starts once', async () => {
    await engine.api('PUT', '/api/customers/ana', { name: 'Ana' });
    await send(engine, 'ana', 'page.viewed');
    await eventually(async () => (await stageOf('ana')) === 'new');
    await send(engine, 'ana', 'order.placed', { amount: 120 });
    await eventually(async () => (await stageOf('ana')) === 'active');

    clock.advance(40 * DAY);
    expect(await recompute()).toMatchObject({ stageChanges: 1 });
    expect(await stageOf('ana')).toBe('at-risk');
    expect(await runsOf(engine, 'ana', 'win-back')).toEqual([]);

    clock.advance(60 * DAY);
    await recompute();
    expect(await stageOf('ana')).toBe('churned');
    await eventually(async () => (await runsOf(engine, 'ana', 'win-back')).length === 1);

    // Later recomputes change nothing and start nothing.
    clock.advance(DAY);
    expect(await recompute()).toMatchObject({ stageChanges: 0 });
    await new Promise((r) => setTimeout(r, 500));
    expect(await runsOf(engine, 'ana', 'win-back')).toHaveLength(1);

    // Ordering again wins her back: the journey's goal, and the won-back stage.
    await send(engine, 'ana', 'order.placed', { amount: 40 });
    await eventually(async () => (await runsOf(engine, 'ana', 'win-back'))[0]?.outcome === 'won-back');
    await eventually(async () => (await stageOf('ana')) === 'won-back');
    const changes = await engine.api('GET', '/api/runs?customer=ana');
    expect(changes.body.runs).toHaveLength(1);
  });

  it("a customer's first event stages them, and the stage journey sees the new stage at once", async () => {
    await publish(
      engine,
      `
id: greet-new
name: Greet new customers
trigger: { stage: new }
start: check
states:
  check:
    choose:
      - when: 'customer.stage == "new" && event.data.to == "new"'
        next: seen
      - next: unseen
  seen: { end: saw-new }
  unseen: { end: saw-other }
`,
    );
    await send(engine, 'cai', 'page.viewed');
    await eventually(async () => (await runsOf(engine, 'cai', 'greet-new'))[0]?.status === 'completed');
    expect((await runsOf(engine, 'cai', 'greet-new'))[0]?.outcome).toBe('saw-new');
    // The stage change is stored after the event that caused it, and applied with it.
    const db = new pg.Client({ connectionString: engine.databaseUrl });
    await db.connect();
    try {
      const events = await db.query(`SELECT type, data FROM events WHERE customer_id = 'cai' ORDER BY seq`);
      expect(events.rows.map((r) => r.type)).toEqual(['page.viewed', 'customer.stage_changed']);
      expect(events.rows[1].data).toEqual({ from: null, to: 'new' });
      // Stored once, under its own key, as every event.
      const keys = await db.query(`SELECT count(*)::int AS n FROM event_keys WHERE customer_id = 'cai'`);
      expect(keys.rows[0].n).toBe(2);
      const waiting = await db.query(
        `SELECT count(*)::int AS n FROM event_dispatch WHERE customer_id = 'cai'`,
      );
      expect(waiting.rows[0].n).toBe(0);
    } finally {
      await db.end();
    }
  });

  it('scores RFM by quintile over the whole base, names segments and ABC classes', async () => {
    // Twenty customers: buyer i ordered i times, the last i days ago... so higher i is more frequent but less recent.
    const events = [];
    for (let i = 1; i <= 20; i++) {
      for (let n = 0; n < i; n++) {
        events.push({
          customerId: `rfm-${i}`,
          type: 'order.placed',
          data: { amount: 10 * i },
          occurredAt: new Date(clock.now().getTime() - (i + n) * DAY).toISOString(),
        });
      }
    }
    expect((await engine.api('POST', '/api/events/batch', events)).status).toBe(202);
    await eventually(async () => (await engine.api('GET', '/api/customers/rfm-20')).body.rfm?.orders === 20);
    await recompute();
    const top = (await engine.api('GET', '/api/customers/rfm-20')).body.rfm;
    const low = (await engine.api('GET', '/api/customers/rfm-1')).body.rfm;
    expect(top).toMatchObject({ orders: 20, revenue: 4000, f: 5, m: 5, abc: 'A' });
    expect(low).toMatchObject({ orders: 1, revenue: 10, f: 1, m: 1, r: 5, abc: 'C', segment: 'new' });
    expect(top.r).toBeLessThan(low.r);
    expect(top.score).toBe(`${top.r}55`);
    expect(['cant-lose', 'at-risk', 'loyal', 'champions']).toContain(top.segment);
  });
});
