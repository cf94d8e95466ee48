import { describe, expect, it } from 'vitest';
import { expectedPurchases } from './bg-nbd.ts';
import { lifetimeValue } from './lifetime-value.ts';
import { cannotFit, fitModel, historyOf, type OrderSummary, predict } from './model.ts';
import { drawCustomers } from './synthetic.ts';

const DAY = 86_400_000;
const now = new Date('2026-12-01T00:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * DAY);

describe('the purchase model of the engine', () => {
  it('reads a summary as repeat orders and days', () => {
    const h = historyOf(
      { customerId: 'c', orders: 3, revenue: 30, firstOrderAt: daysAgo(100), lastOrderAt: daysAgo(40) },
      now,
    );
    expect(h).toEqual({ x: 2, tx: 60, T: 100 });
    // An order stamped after the engine's now (a clock set back) counts as made now.
    const ahead = historyOf(
      { customerId: 'c', orders: 2, revenue: 1, firstOrderAt: daysAgo(10), lastOrderAt: daysAgo(-5) },
      now,
    );
    expect(ahead).toEqual({ x: 1, tx: 10, T: 10 });
  });

  it('says why a base cannot be fitted', () => {
    const once = (i: number): OrderSummary => ({
      customerId: `c${i}`,
      orders: 1,
      revenue: 10,
      firstOrderAt: daysAgo(i + 1),
      lastOrderAt: daysAgo(i + 1),
    });
    expect(cannotFit([once(1)], now)).toMatch(/at least 20 buyers/);
    expect(
      cannotFit(
        Array.from({ length: 30 }, (_, i) => once(i)),
        now,
      ),
    ).toMatch(/ordered twice/);
    expect(() => fitModel([once(1)], now)).toThrow(/cannot be fitted/);
  });

  it('discounts the value of later months, and counts a year of orders without discount', () => {
    const p = { r: 0.5, alpha: 20, a: 0.7, b: 3 };
    const h = { x: 3, tx: 80, T: 100 };
    const plain = lifetimeValue(p, h, 50, { months: 12, yearlyDiscount: 0, unitsPerMonth: 30 }, 'mbg');
    expect(plain).toBeCloseTo(expectedPurchases(p, h, 360, 'mbg') * 50, 9);
    const discounted = lifetimeValue(p, h, 50, { months: 12, yearlyDiscount: 0.1, unitsPerMonth: 30 }, 'mbg');
    expect(discounted).toBeLessThan(plain);
    expect(discounted).toBeGreaterThan(plain / 1.1);
  });

  it('fits a base and ranks its buyers: the silent churn, the recent and frequent are worth more', () => {
    const drawn = drawCustomers({ r: 0.8, alpha: 40, a: 0.5, b: 3 }, { p: 4, q: 3, gamma: 40 }, 3000, {
      seed: 5,
      spread: 600,
      minAge: 30,
      variant: 'mbg',
    });
    const summaries: OrderSummary[] = drawn.map((c, i) => ({
      customerId: `c${i}`,
      orders: c.spend.orders,
      revenue: c.spend.orders * c.spend.meanValue,
      firstOrderAt: daysAgo(c.history.T),
      lastOrderAt: daysAgo(c.history.T - c.history.tx),
    }));
    const model = fitModel(summaries, now);
    expect(model.converged).toBe(true);
    expect(model.fittedOn).toBe(3000);
    const buyer = (orders: number, firstDaysAgo: number, lastDaysAgo: number): OrderSummary => ({
      customerId: 'x',
      orders,
      revenue: orders * 80,
      firstOrderAt: daysAgo(firstDaysAgo),
      lastOrderAt: daysAgo(lastDaysAgo),
    });
    const recent = predict(model, buyer(6, 300, 5), now);
    const silent = predict(model, buyer(6, 300, 250), now);
    const once = predict(model, buyer(1, 400, 400), now);
    expect(recent.pAlive).toBeGreaterThan(silent.pAlive);
    expect(once.pAlive).toBeLessThan(1);
    expect(recent.expectedOrders90d).toBeGreaterThan(silent.expectedOrders90d);
    expect(recent.predictedValue).toBeGreaterThan(silent.predictedValue);
    expect(recent.predictedValue).toBeGreaterThan(0);
  }, 60_000);
});
