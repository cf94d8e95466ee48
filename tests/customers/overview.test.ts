import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOverviewSnapshot, writeOverviewSnapshot } from '../../engine/src/store/overview.ts';
import { startOverviewRefresh } from '../../engine/src/workers/overview-refresh.ts';
import { eventually, startTestEngine, TestClock, type TestEngine } from '../support/engine.ts';

/*
 * The overview dashboard's figures: counted at each look on a small base; on a large one (slow
 * to count) the figures the workers' refresher keeps, with their time, recounted when stale.
 */
let engine: TestEngine;
const clock = new TestClock('2026-11-20T08:00:00Z');
/** Customers in all stages (a stage may be decided meanwhile: the clock moves). */
const total = (stages: Record<string, number>) => Object.values(stages).reduce((n, x) => n + x, 0);
const FAKE = {
  stages: { champions: 999_999 },
  segments: {},
  rfm: [],
  flows: { thisMonth: [], lastMonth: [], months: ['2026-11', '2026-10'] as [string, string] },
};

beforeAll(async () => {
  engine = await startTestEngine({}, { clock });
  const people = Array.from({ length: 5 }, (_, i) => ({ id: `o${i}` }));
  expect((await engine.api('POST', '/api/customers/batch', people)).status).toBe(200);
});
afterAll(async () => {
  await engine?.stop();
});

describe('the overview', () => {
  it('counts a small base at the look', async () => {
    await eventually(async () => total((await engine.api('GET', '/api/overview')).body.stages) === 5);
    expect((await engine.api('GET', '/api/overview')).body.at).toBe(clock.now().toISOString());
  });

  it('counts the moves between stages this month and last month', async () => {
    await engine.api('POST', '/api/events', { customerId: 'o0', type: 'order.placed', data: { amount: 30 } });
    // The kept count is shared for a second or more: ask until the order's stage change shows.
    const flows = await eventually(async () => {
      const f = (await engine.api('GET', '/api/overview')).body.flows;
      return f.thisMonth.some((x: { to: string }) => x.to === 'active') ? f : undefined;
    });
    expect(flows.months).toEqual(['2026-11', '2026-10']);
    expect(flows.lastMonth).toEqual([]);
    // The one who ordered became active (from new, or straight from no stage when the order came
    // before the lifecycle pass staged them).
    expect(flows.thisMonth.filter((x: { to: string }) => x.to === 'active')).toEqual([
      { from: expect.toBeOneOf([null, 'new']), to: 'active', customers: 1 },
    ]);
  });

  it('shows the kept figures of a base slow to count, and counts again when they are stale', async () => {
    const db = engine.services.db;
    // What the refresher keeps for a base that took 3 s to count, a minute ago.
    const minuteAgo = new Date(clock.now().getTime() - 60_000);
    await writeOverviewSnapshot(db, { at: minuteAgo.toISOString(), tookMs: 3000, body: FAKE }, minuteAgo);
    await eventually(
      async () => (await engine.api('GET', '/api/overview')).body.stages.champions === 999_999,
    );
    expect((await engine.api('GET', '/api/overview')).body.at).toBe(minuteAgo.toISOString());
    // Eleven minutes on, nobody refreshed them: the look counts again.
    clock.set(new Date(clock.now().getTime() + 11 * 60_000).toISOString());
    await eventually(async () => total((await engine.api('GET', '/api/overview')).body.stages) === 5);
  });

  it('is counted again by the refresher when the kept figures are older than its interval', async () => {
    const db = engine.services.db;
    const old = new Date(clock.now().getTime() - 5 * 60_000);
    await writeOverviewSnapshot(db, { at: old.toISOString(), tookMs: 3000, body: FAKE }, old);
    const refresh = startOverviewRefresh(engine.services.runtime, 60_000);
    try {
      await eventually(async () => total((await readOverviewSnapshot(db))?.body.stages ?? {}) === 5);
      const kept = await readOverviewSnapshot(db);
      expect(kept?.at).toBe(clock.now().toISOString());
    } finally {
      await refresh.stop();
    }
    // Figures that took 11 s to count are counted again after 220 s, not every minute.
    const slowAt = new Date(clock.now().getTime() - 2 * 60_000);
    await writeOverviewSnapshot(db, { at: slowAt.toISOString(), tookMs: 11_000, body: FAKE }, slowAt);
    const slow = startOverviewRefresh(engine.services.runtime, 60_000);
    await slow.stop();
    expect((await readOverviewSnapshot(db))?.body).toEqual(FAKE);
    // A small base's figures (quick to count) are left to the look: the refresher keeps out.
    await writeOverviewSnapshot(db, { at: old.toISOString(), tookMs: 20, body: FAKE }, old);
    const again = startOverviewRefresh(engine.services.runtime, 60_000);
    await again.stop();
    expect((await readOverviewSnapshot(db))?.body).toEqual(FAKE);
  });
});
