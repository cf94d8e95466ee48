import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIFECYCLE } from '../../engine/src/lifecycle/config.ts';
import { recomputeLifecycle } from '../../engine/src/lifecycle/stages.ts';
import { countEveryCustomerNext, scheduledScope } from '../../engine/src/store/customer-metrics.ts';
import { eventually, startTestEngine, TestClock, type TestEngine } from '../support/engine.ts';

/*
 * The scheduled pass counts again only the customers an order left a 30/90/365-day window of
 * since (customer_metrics.windows_change_at); orders arriving keep the rest current. It must end
 * where a pass counting every customer's orders from the events ends.
 */
const DAY = 86_400_000;
const clock = new TestClock('2031-06-01T12:00:00Z');
let engine: TestEngine;
let db: pg.Client;

beforeAll(async () => {
  // The test runs the passes itself, at the moments it sets.
  engine = await startTestEngine({ TEND_SWEEP_MS: '3600000', TEND_PLUGINS: '' }, { clock });
  db = new pg.Client({ connectionString: engine.databaseUrl });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await engine?.stop();
});

const COLUMNS = `customer_id, orders, revenue, first_order_at, last_order_at, orders_30d, orders_90d,
  orders_365d, revenue_90d, revenue_365d, windows_change_at, r, f, m, segment, abc`;
const metrics = async () =>
  (await db.query(`SELECT ${COLUMNS} FROM customer_metrics ORDER BY customer_id`)).rows;
const pass = (counted?: 'every-customer') => {
  const { db: kdb, boss, customers, lifecycle } = engine.services;
  return recomputeLifecycle(kdb, boss, customers, lifecycle, clock.now(), counted);
};

describe('the nightly metrics pass', () => {
  it('counts again the customers whose windows moved, and ends where counting everyone ends', async () => {
    // The pass at start counted every customer (none yet) with the configured order source.
    await eventually(
      async () => (await scheduledScope(engine.services.db, DEFAULT_LIFECYCLE.orders)) === 'windows-due',
    );

    // Buyer i ordered 10, 40, 100 and 400 days ago, with amounts growing with i; more buyers
    // than the early cut points need, so later orders are scored against cut points kept.
    const now = clock.now().getTime();
    const events = [];
    for (let i = 1; i <= 30; i++) {
      for (const [n, days] of [10, 40, 100, 400].entries()) {
        events.push({
          customerId: `w-${i}`,
          type: 'order.placed',
          data: { amount: `${i * 10 + n}.50` },
          occurredAt: new Date(now - (days + (i % 3)) * DAY).toISOString(),
        });
      }
    }
    expect((await engine.api('POST', '/api/events/batch', events)).status).toBe(202);
    await eventually(async () => {
      const r = await db.query(`SELECT count(*)::int AS n FROM customer_metrics WHERE orders = 4`);
      return r.rows[0].n === 30;
    });
    const w1 = (await db.query(`SELECT * FROM customer_metrics WHERE customer_id = 'w-1'`)).rows[0];
    expect(w1).toMatchObject({ orders_30d: 1, orders_90d: 2, orders_365d: 3 });
    // Its 10-day-old order leaves the 30-day window first, 19 days from now (w-1 is one day older).
    expect(w1.windows_change_at).toEqual(new Date(now - 11 * DAY + 30 * DAY));

    // Nights pass: each scheduled pass counts the customers due, and agrees with counting everyone.
    for (const days of [5, 15, 20, 40, 70, 300]) {
      clock.set(new Date(now + days * DAY).toISOString());
      expect((await pass()).counted).toBe('windows-due');
      const nightly = await metrics();
      expect((await pass('every-customer')).counted).toBe('every-customer');
      expect(await metrics(), `${days} days on`).toEqual(nightly);
    }
    // 300 days on, only the orders of 10 and 40 days ago remain inside the year.
    const later = (await db.query(`SELECT * FROM customer_metrics WHERE customer_id = 'w-2'`)).rows[0];
    expect(later).toMatchObject({ orders: 4, orders_30d: 0, orders_90d: 0, orders_365d: 2 });
    expect(later.revenue_365d).toBe('42.00');
  });

  it('counts every customer when the order source changed or orders were loaded directly', async () => {
    const src = engine.services.lifecycle.orders;
    expect(await scheduledScope(engine.services.db, src)).toBe('windows-due');
    expect(await scheduledScope(engine.services.db, { ...src, amount: 'total' })).toBe('every-customer');
    await countEveryCustomerNext(engine.services.db);
    expect(await scheduledScope(engine.services.db, src)).toBe('every-customer');
    expect((await pass()).counted).toBe('every-customer');
    expect(await scheduledScope(engine.services.db, src)).toBe('windows-due');
  });
});
