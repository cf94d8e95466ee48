import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestEngine, TestClock, type TestEngine } from '../support/engine.ts';

/*
 * The customers list sorted as a CRM manager asks for it (newest sign-ups, latest order, highest
 * revenue), a page at a time without skipping or repeating anyone, and filtered by consent.
 */
let engine: TestEngine;
const clock = new TestClock('2026-11-01T00:00:00Z');
const DAY = 86_400_000;
// id → [days after the start it signed up, its orders as [days ago from the end, amount]]
const BASE: Record<string, [number, [number, number][]]> = {
  a: [0, [[30, 100]]],
  b: [
    1,
    [
      [2, 40],
      [40, 40],
    ],
  ],
  c: [2, []],
  d: [3, [[10, 900]]],
  e: [4, [[1, 20]]],
  f: [5, []],
};

beforeAll(async () => {
  engine = await startTestEngine({}, { clock });
  for (const [id, [day]] of Object.entries(BASE)) {
    clock.set(new Date(Date.parse('2026-11-01T00:00:00Z') + day * DAY).toISOString());
    const consent = id === 'a' || id === 'd' ? { email: 'granted' } : { email: 'withdrawn' };
    expect(
      (await engine.api('PUT', `/api/customers/${id}`, { email: `${id}@example.com`, consent })).status,
    ).toBe(201);
  }
  clock.set('2026-12-01T00:00:00Z');
  const end = clock.now().getTime();
  const events = Object.entries(BASE).flatMap(([id, [, orders]]) =>
    orders.map(([ago, amount]) => ({
      customerId: id,
      type: 'order.placed',
      data: { amount },
      occurredAt: new Date(end - ago * DAY).toISOString(),
    })),
  );
  expect((await engine.api('POST', '/api/events/batch', events)).status).toBe(202);
  // Every buyer's figures, not a sample: a list walked while one of them still moves between
  // "no orders" and its place among the buyers would skip or repeat it.
  for (const [id, [, orders]] of Object.entries(BASE)) {
    if (orders.length === 0) continue;
    await eventually(
      async () => (await engine.api('GET', `/api/customers/${id}`)).body.rfm?.orders === orders.length,
    );
  }
});
afterAll(async () => {
  await engine?.stop();
});

/** Every page of a sorted list, two at a time, as the editor walks them. */
async function walk(query: string, limit = 2): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 10; page++) {
    const r = await engine.api(
      'GET',
      `/api/customers?${query}&limit=${limit}${after ? `&after=${after}` : ''}`,
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    ids.push(...r.body.customers.map((c: { id: string }) => c.id));
    after = r.body.next;
    if (!after) break;
  }
  return ids;
}

describe('the customers list', () => {
  it('sorts by revenue, latest order and sign-up, page by page; customers without orders last', async () => {
    expect(await walk('sort=revenue')).toEqual(['d', 'a', 'b', 'e', 'f', 'c']);
    // A page that holds the last buyers and the first customers without orders.
    expect(await walk('sort=last-order', 3)).toEqual(['e', 'b', 'd', 'a', 'f', 'c']);
    expect(await walk('sort=revenue', 5)).toEqual(['d', 'a', 'b', 'e', 'f', 'c']);
    expect(await walk('sort=last-order')).toEqual(['e', 'b', 'd', 'a', 'f', 'c']);
    expect(await walk('sort=created')).toEqual(['f', 'e', 'd', 'c', 'b', 'a']);
    expect(await walk('sort=id')).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('filters by consent, also sorted', async () => {
    expect(await walk('consent=email:granted&sort=revenue')).toEqual(['d', 'a']);
    expect(await walk('consent=email:withdrawn')).toEqual(['b', 'c', 'e', 'f']);
  });

  it('filters by a cell of the RFM grid (recency and frequency scores)', async () => {
    const buyers = (await engine.api('GET', '/api/customers?limit=100')).body.customers.filter(
      (c: { rfm: { r: number | null } | null }) => c.rfm?.r,
    );
    expect(buyers.length).toBeGreaterThan(0);
    for (const b of buyers) {
      const cell = buyers
        .filter((x: typeof b) => x.rfm.r === b.rfm.r && x.rfm.f === b.rfm.f)
        .map((x: typeof b) => x.id);
      expect(await walk(`r=${b.rfm.r}&f=${b.rfm.f}`)).toEqual(cell);
    }
    expect((await engine.api('GET', '/api/customers?r=6')).status).toBe(400);
    expect((await engine.api('GET', '/api/customers?f=x')).status).toBe(400);
  });

  it('answers 400 for an unknown sort, consent or cursor', async () => {
    expect((await engine.api('GET', '/api/customers?sort=name')).status).toBe(400);
    expect((await engine.api('GET', '/api/customers?consent=email')).status).toBe(400);
    expect((await engine.api('GET', '/api/customers?consent=email:maybe')).status).toBe(400);
    expect((await engine.api('GET', '/api/customers?sort=revenue&after=garbage')).status).toBe(400);
    // Well-formed but forged: a value that is no amount, no date.
    const forged = (value: string) => Buffer.from(JSON.stringify([value, 'a'])).toString('base64url');
    expect((await engine.api('GET', `/api/customers?sort=revenue&after=${forged('lots')}`)).status).toBe(400);
    expect((await engine.api('GET', `/api/customers?sort=created&after=${forged('yesterday')}`)).status).toBe(
      400,
    );
  });
});
