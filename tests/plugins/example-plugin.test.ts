import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EXAMPLE_PLUGIN,
  eventually,
  startTestEngine,
  TEST_PLUGIN,
  type TestEngine,
} from '../support/engine.ts';
import { publish, runsOf, send } from '../support/journeys.ts';

/*
 * A plugin written only inside plugins/example and installed from outside the shipped list
 * (TEND_PLUGINS, by file path) gets everything the SDK promises: its step runs, its table lives
 * in its own schema (made by its migration), its API route and public page answer, the event it
 * emits moves a journey on, its setting arrives, its background job runs.
 */
let engine: TestEngine;

const JOURNEY = `
id: stamping
name: Stamping
trigger: { event: stamp.me }
start: stamp
states:
  stamp:
    steps:
      - uses: example.stamp
        with: { note: "first visit" }
    wait: { event: example.stamped, timeout: 1h }
    on: { example.stamped: done, timeout: lapsed }
  done: { end: stamped }
  lapsed: { end: lapsed }
`;

beforeAll(async () => {
  engine = await startTestEngine({
    TEND_PLUGINS: `${TEST_PLUGIN},${EXAMPLE_PLUGIN}`,
    TEND_EXAMPLE_GREETING: 'Hello from the example plugin',
    TEND_BACKGROUND_INTERVAL_SECONDS: '1',
  });
  await publish(engine, JOURNEY);
});
afterAll(async () => {
  await engine?.stop();
});

describe('a plugin from outside the shipped list', () => {
  it('is listed with its step and the event it emits', async () => {
    const r = await engine.api('GET', '/api/plugins');
    const example = r.body.plugins.find((p: { name: string }) => p.name === 'example');
    expect(example.steps.map((s: { id: string }) => s.id)).toEqual(['example.stamp']);
    expect(example.events).toEqual([expect.objectContaining({ type: 'example.stamped' })]);
    expect(example.texts.title['zh-CN']).toBe('示例');
  });

  it('runs its step, keeps its table in its own schema, and its event moves the journey on', async () => {
    await send(engine, 'ex-1', 'stamp.me');
    await eventually(async () => (await runsOf(engine, 'ex-1', 'stamping'))[0]?.outcome === 'stamped');
    const db = new pg.Client({ connectionString: engine.databaseUrl });
    await db.connect();
    try {
      const rows = await db.query('SELECT customer_id, note FROM plugin_example.stamps');
      expect(rows.rows).toEqual([{ customer_id: 'ex-1', note: 'first visit' }]);
      const migrations = await db.query('SELECT name FROM plugin_example.tend_migrations ORDER BY name');
      expect(migrations.rows).toEqual([
        { name: '2026-12-05-01-stamps' },
        { name: '2026-12-09-02-customer-key' },
      ]);
    } finally {
      await db.end();
    }
  });

  it('answers on its API route behind sign-in, and its background job marks stamps seen', async () => {
    expect((await engine.api('GET', '/api/example/stamps', undefined, { key: null })).status).toBe(401);
    const seen = await eventually(async () => {
      const r = await engine.api('GET', '/api/example/stamps');
      return r.body.stamps.find((s: { seen: boolean }) => s.seen);
    });
    expect(seen).toMatchObject({ customerId: 'ex-1', note: 'first visit' });
  });

  it('serves its public page, with its setting, to anyone', async () => {
    const page = await fetch(`${engine.url}/hello`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Hello from the example plugin');
  });
});
