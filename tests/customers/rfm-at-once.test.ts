import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestEngine, type TestEngine } from '../support/engine.ts';

const DAY = 86_400_000;
let engine: TestEngine;

beforeAll(async () => {
  // Nightly recompute far away: only orders arriving may score anyone here.
  engine = await startTestEngine({ TEND_SWEEP_MS: '3600000' });
});
afterAll(async () => {
  await engine?.stop();
});

const rfmOf = async (id: string) => (await engine.api('GET', `/api/customers/${id}`)).body.rfm;
const PICK = ['r', 'f', 'm', 'score', 'segment'] as const;
const scores = (rfm: Record<string, unknown>) => Object.fromEntries(PICK.map((k) => [k, rfm[k]]));

describe('RFM at once', () => {
  it('scores customers as their orders arrive, as the nightly recompute would, before any recompute', async () => {
    // A fresh base: no cut points exist until these orders arrive. Buyer i ordered i times.
    const now = engine.services.now().getTime();
    const events = [];
    for (let i = 1; i <= 20; i++) {
      for (let n = 0; n < i; n++) {
        events.push({
          customerId: `now-${i}`,
          type: 'order.placed',
          data: { amount: 10 * i },
          occurredAt: new Date(now - (i + n) * DAY).toISOString(),
        });
      }
    }
    expect((await engine.api('POST', '/api/events/batch', events)).status).toBe(202);
    await eventually(
      async () => (await rfmOf('now-20'))?.orders === 20 && (await rfmOf('now-1'))?.orders === 1,
    );

    const before = new Map<string, Record<string, unknown>>();
    for (let i = 1; i <= 20; i++) {
      const rfm = await rfmOf(`now-${i}`);
      for (const k of PICK) expect(rfm[k], `now-${i} ${k}`).not.toBeNull();
      before.set(`now-${i}`, scores(rfm));
    }
    expect(before.get('now-1')).toMatchObject({ f: 1, m: 1, r: 5, segment: 'new' });
    expect(before.get('now-20')).toMatchObject({ f: 5, m: 5 });

    // The nightly recompute, on the same data, agrees.
    expect((await engine.api('POST', '/api/lifecycle/recompute')).status).toBe(200);
    for (let i = 1; i <= 20; i++)
      expect(scores(await rfmOf(`now-${i}`)), `now-${i}`).toEqual(before.get(`now-${i}`));

    // The customers list filters by what was scored: RFM segment and ABC class.
    const ids = async (query: string) =>
      ((await engine.api('GET', `/api/customers?${query}&limit=1000`)).body.customers as { id: string }[])
        .map((c) => c.id)
        .sort();
    const all = await Promise.all(Array.from({ length: 20 }, (_, i) => rfmOf(`now-${i + 1}`)));
    const expected = (key: 'segment' | 'abc', value: string) =>
      all
        .map((rfm, i) => (rfm[key] === value ? `now-${i + 1}` : null))
        .filter((id): id is string => id !== null)
        .sort();
    expect(await ids('segment=new')).toEqual(expected('segment', 'new'));
    expect(expected('abc', 'A').length).toBeGreaterThan(0);
    for (const abc of ['A', 'B', 'C']) expect(await ids(`abc=${abc}`)).toEqual(expected('abc', abc));
  });

  it('scores a newcomer against the current cut points at once', async () => {
    const at = new Date(engine.services.now().getTime() - DAY).toISOString();
    const orders = Array.from({ length: 3 }, () => ({
      customerId: 'now-late',
      type: 'order.placed',
      data: { amount: 80 },
      occurredAt: at,
    }));
    expect((await engine.api('POST', '/api/events/batch', orders)).status).toBe(202);
    const rfm = await eventually(async () => {
      const r = await rfmOf('now-late');
      return r?.orders === 3 ? r : undefined;
    });
    expect(rfm).toMatchObject({ r: 5, orders: 3 });
    expect(rfm.score).toMatch(/^5[1-5][1-5]$/);
    expect(rfm.segment).not.toBeNull();
  });
});
