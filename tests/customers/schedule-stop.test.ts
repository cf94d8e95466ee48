import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/database.ts';
import { call, type EngineProcess, spawnEngine } from '../support/process.ts';

const CUSTOMERS = 20_000;
let databaseUrl: string;
const engines: EngineProcess[] = [];
// Pages of 50: the occurrence takes hundreds of pages, so the stop comes in the middle of it.
const env = { TEND_ENROLL_CHUNK: '50', TEND_SWEEP_MS: '500' };

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(engines.map((e) => e.kill('SIGKILL')));
});

describe('stopping a process in the middle of a bulk enrollment', () => {
  it('ends after the page in flight; the next process enrolls the rest, each customer once', async () => {
    const a = await spawnEngine(databaseUrl, env);
    engines.push(a);
    for (let from = 0; from < CUSTOMERS; from += 10_000) {
      const batch = Array.from({ length: 10_000 }, (_, i) => ({
        id: `st-${String(from + i).padStart(5, '0')}`,
      }));
      expect((await call(a.url, 'POST', '/api/customers/batch', batch)).status).toBe(200);
    }
    const yaml = `
id: stop-midway
name: Every twenty seconds
trigger:
  schedule: { cron: "*/20 * * * * *", tz: UTC }
entry: { reenter: always }
start: done
states:
  done: { end: completed }
`;
    expect((await call(a.url, 'POST', '/api/workflows', yaml, 'application/yaml')).status).toBe(201);
    await call(a.url, 'POST', '/api/workflows/stop-midway/publish', { version: 1 });

    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const claims = async () =>
        (
          await db.query<{ occurrence: string; n: number }>(
            `SELECT occurrence, count(*)::int AS n FROM trigger_fires GROUP BY 1 ORDER BY 1 LIMIT 1`,
          )
        ).rows[0];
      // Up to twenty seconds until the occurrence comes, then a few pages of it.
      const deadline = Date.now() + 40_000;
      while (((await claims())?.n ?? 0) < 500 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      await a.kill('SIGTERM');

      const stopped = await claims();
      expect(stopped?.n).toBeGreaterThanOrEqual(500);
      // Stopped midway: the process did not enroll the whole base before it ended.
      expect(stopped?.n).toBeLessThan(CUSTOMERS);
      const occurrence = stopped?.occurrence as string;
      const done = async () =>
        (await db.query(`SELECT 1 FROM trigger_occurrences WHERE occurrence = $1`, [occurrence])).rowCount;
      expect(await done()).toBe(0);

      const b = await spawnEngine(databaseUrl, env);
      engines.push(b);
      const until = Date.now() + 60_000;
      while (!(await done()) && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
      await b.kill('SIGTERM');
      expect(await done()).toBe(1);

      const runs = await db.query<{ runs: number; customers: number }>(
        `SELECT count(*)::int AS runs, count(DISTINCT r.customer_id)::int AS customers
         FROM run_history_entries h JOIN runs r ON r.id = h.run_id
         WHERE h.type = 'run.started' AND h.detail->>'eventId' = $1`,
        [`stop-midway:${occurrence}`],
      );
      expect(runs.rows[0]).toEqual({ runs: CUSTOMERS, customers: CUSTOMERS });
    } finally {
      await db.end();
    }
  }, 240_000);
});
