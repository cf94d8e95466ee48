import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestEngine, type TestEngine } from '../support/engine.ts';
import { publish, runsOf } from '../support/journeys.ts';

const DAY = 86_400_000;
let engine: TestEngine;
let now: Date;
const daysAgo = (d: number) => new Date(now.getTime() - d * DAY).toISOString();

/** `count` orders of 80, every `every` days, the last one `lastDaysAgo` days ago. */
const orders = (customerId: string, count: number, every: number, lastDaysAgo: number) =>
  Array.from({ length: count }, (_, i) => ({
    customerId,
    type: 'order.placed',
    data: { amount: 80 },
    occurredAt: daysAgo(lastDaysAgo + (count - 1 - i) * every),
  }));

beforeAll(async () => {
  engine = await startTestEngine({ TEND_SWEEP_MS: '3600000' });
  now = engine.services.now();
  await publish(
    engine,
    `
id: save-churners
name: Save customers likely to churn
trigger:
  predicted: { churn: "> 0.7" }
start: hello
states:
  hello:
    steps: [ { uses: test.noop, with: { card: save } } ]
    end: completed
`,
  );
  await engine.api('PUT', '/api/segments/likely-to-churn', {
    name: 'Likely to churn',
    definition: 'customer.predicted.churn > 0.7',
  });
  // Regular buyers still buying, the same buyers gone silent for most of a year, one-time buyers.
  const events = [];
  for (let i = 0; i < 15; i++) events.push(...orders(`loyal-${i}`, 8, 15 + (i % 3), 2 + (i % 4)));
  for (let i = 0; i < 15; i++) events.push(...orders(`lapsed-${i}`, 8, 15 + (i % 3), 280 + i));
  for (let i = 0; i < 10; i++) events.push(...orders(`once-${i}`, 1, 1, 30 + i * 40));
  expect((await engine.api('POST', '/api/events/batch', events)).status).toBe(202);
  await eventually(async () => {
    const r = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM customer_metrics WHERE orders > 0`.execute(engine.services.db);
    return r.rows[0]?.n === 40;
  });
}, 60_000);
afterAll(async () => {
  await engine?.stop();
});

describe('predicted churn and value', () => {
  it('fits the purchase model and scores every buyer', async () => {
    const r = await engine.api('POST', '/api/predictions/refresh');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ buyers: 40, scored: 40, skipped: null, sampled: false });
    expect(r.body.model.version).toBe('mbg-nbd+gamma-gamma/1');
    expect((await engine.api('GET', '/api/predictions')).body.last.scored).toBe(40);

    const rows = await sql<{ customer_id: string; p_alive: number; expected_orders_90d: number }>`
      SELECT customer_id, p_alive, expected_orders_90d FROM customer_predictions ORDER BY customer_id`.execute(
      engine.services.db,
    );
    expect(rows.rows).toHaveLength(40);
    const loyal = (await engine.api('GET', '/api/customers/loyal-0')).body.predicted;
    const lapsed = (await engine.api('GET', '/api/customers/lapsed-0')).body.predicted;
    expect(loyal.churn).toBeLessThan(0.3);
    expect(lapsed.churn).toBeGreaterThan(0.7);
    expect(loyal.churn + loyal.aliveProbability).toBeCloseTo(1, 12);
    // A regular buyer every 15–17 days is expected to buy about five times in 90 days.
    expect(loyal.orders90d).toBeGreaterThan(3);
    expect(loyal.orders90d).toBeLessThan(7);
    expect(loyal.value).toBeGreaterThan(lapsed.value);
    expect(lapsed.value).toBeGreaterThanOrEqual(0);
  });

  it('puts customer.predicted in CEL: segments and previews read it', async () => {
    const churning = await sql<{ customer_id: string }>`
      SELECT customer_id FROM customer_predictions WHERE p_alive < 0.3 ORDER BY customer_id`.execute(
      engine.services.db,
    );
    const expected = churning.rows.map((r) => r.customer_id);
    expect(expected).toContain('lapsed-0');
    expect(expected.some((id) => id.startsWith('loyal-'))).toBe(false);
    const segment = await eventually(async () => {
      const s = (await engine.api('GET', '/api/segments/likely-to-churn')).body;
      return s.memberCount === expected.length ? s : undefined;
    });
    expect(segment.members).toEqual(expected);
    const preview = await engine.api('POST', '/api/segments/preview', {
      definition: 'customer.predicted.orders90d > 3 && customer.predicted.value > 100',
      limit: 50,
    });
    expect(preview.body.matched).toBeGreaterThanOrEqual(10);
    expect(preview.body.matched).toBeLessThanOrEqual(15);
  });

  it('starts the journey of a predicted trigger for customers it moved into the condition, once', async () => {
    await eventually(async () => (await runsOf(engine, 'lapsed-0', 'save-churners')).length === 1);
    expect(await runsOf(engine, 'loyal-0', 'save-churners')).toHaveLength(0);
    const again = await engine.api('POST', '/api/predictions/refresh');
    // Nobody enters a second time: they were already in the condition.
    expect(again.body.entered).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(await runsOf(engine, 'lapsed-0', 'save-churners')).toHaveLength(1);
  });

  it('deletes the predictions of an erased customer', async () => {
    const has = async (id: string) =>
      (
        await sql<{
          n: number;
        }>`SELECT count(*)::int AS n FROM customer_predictions WHERE customer_id = ${id}`.execute(
          engine.services.db,
        )
      ).rows[0]?.n;
    expect(await has('lapsed-14')).toBe(1);
    expect((await engine.api('DELETE', '/api/customers/lapsed-14')).status).toBeLessThan(300);
    expect(await has('lapsed-14')).toBe(0);
  });

  it('answers 409 while another process refreshes', async () => {
    await engine.services.db.connection().execute(async (conn) => {
      await sql`SELECT pg_advisory_lock(hashtext('tend-predictions'))`.execute(conn);
      try {
        const r = await engine.api('POST', '/api/predictions/refresh');
        expect(r.status).toBe(409);
        expect(r.body.error.message).toMatch(/being refreshed/);
      } finally {
        await sql`SELECT pg_advisory_unlock(hashtext('tend-predictions'))`.execute(conn);
      }
    });
  });

  it('refuses a predicted trigger whose comparison is not one, saying where', async () => {
    const r = await engine.api(
      'POST',
      '/api/workflows/validate',
      `id: bad\nname: Bad\ntrigger:\n  predicted: { churn: "high" }\nstart: a\nstates:\n  a: { end: completed }\n`,
      { headers: { 'content-type': 'application/yaml' } },
    );
    expect(r.body.valid).toBe(false);
    expect(r.body.errors[0]).toMatchObject({ path: 'trigger.predicted.churn', line: 4 });
    expect(r.body.errors[0].message).toMatch(/comparison/);
  });
});
