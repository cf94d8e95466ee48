import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/database.ts';
import { call, type EngineProcess, spawnEngine } from '../support/process.ts';

const CUSTOMERS = 1000;
let databaseUrl: string;
const engines: EngineProcess[] = [];
const env = { TEND_ENROLL_CHUNK: '200', TEND_SWEEP_MS: '500' };

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(engines.map((e) => e.kill('SIGKILL')));
});

describe('a schedule with two engine processes and a restart', () => {
  it('fires every occurrence exactly once for every customer', async () => {
    let a = await spawnEngine(databaseUrl, env);
    const b = await spawnEngine(databaseUrl, env);
    engines.push(a, b);
    const customers = Array.from({ length: CUSTOMERS }, (_, i) => ({
      id: `s-${String(i).padStart(4, '0')}`,
      timezone: 'Asia/Shanghai',
    }));
    expect((await call(a.url, 'POST', '/api/customers/batch', customers)).status).toBe(200);
    const yaml = `
id: every-five
name: Every five seconds
trigger:
  schedule: { cron: "*/5 * * * * *", tz: customer }
entry: { reenter: always }
start: done
states:
  done: { end: completed }
`;
    expect((await call(a.url, 'POST', '/api/workflows', yaml, 'application/yaml')).status).toBe(201);
    await call(a.url, 'POST', '/api/workflows/every-five/publish', { version: 1 });

    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const fires = async () =>
        (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM trigger_fires')).rows[0]?.n ?? 0;
      // Kill one process while an occurrence is being enrolled (pages of 200), then restart it.
      const start = await fires();
      while ((await fires()) - start < 300) await new Promise((r) => setTimeout(r, 20));
      await a.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 6000));
      a = await spawnEngine(databaseUrl, env);
      engines.push(a);
      await new Promise((r) => setTimeout(r, 12_000));
      await Promise.all([a.kill('SIGTERM'), b.kill('SIGTERM')]);

      const perOccurrence = await db.query<{ occurrence: string; runs: number; customers: number }>(`
        SELECT detail->>'eventId' AS occurrence, count(*)::int AS runs, count(DISTINCT r.customer_id)::int AS customers
        FROM run_history_entries h JOIN runs r ON r.id = h.run_id
        WHERE h.type = 'run.started' GROUP BY 1 ORDER BY 1`);
      const done = await db.query<{ occurrence: string }>(
        `SELECT occurrence FROM trigger_occurrences ORDER BY occurrence`,
      );
      expect(done.rows.length).toBeGreaterThanOrEqual(3);
      // Every occurrence that finished reached every customer, each exactly once.
      for (const { occurrence } of done.rows) {
        const row = perOccurrence.rows.find((r) => r.occurrence === `every-five:${occurrence}`);
        expect(row, occurrence).toMatchObject({ runs: CUSTOMERS, customers: CUSTOMERS });
      }
      for (const row of perOccurrence.rows) expect(row.runs).toBe(row.customers);
      // No occurrence was skipped between the first and the last.
      const times = done.rows.map((r) => Date.parse(r.occurrence.slice('schedule:'.length)));
      for (let i = 1; i < times.length; i++)
        expect((times[i] as number) - (times[i - 1] as number)).toBe(5000);
      const claims = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM trigger_fires');
      const runs = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM runs');
      expect(runs.rows[0]?.n).toBe(claims.rows[0]?.n);
    } finally {
      await db.end();
    }
  }, 120_000);
});
