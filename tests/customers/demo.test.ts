import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/database.ts';
import { eventually, TEST_ENCRYPTION_KEY } from '../support/engine.ts';
import { call, type EngineProcess, spawnEngine } from '../support/process.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const run = promisify(execFile);
let databaseUrl: string;
let engine: EngineProcess | undefined;

async function seed(customers: number) {
  const r = await run(
    process.execPath,
    [path.join(root, 'engine/bin/tend.mjs'), 'demo', 'seed', '--customers', String(customers)],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        TEND_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
        TEND_LOG_LEVEL: 'warn',
      },
    },
  );
  return r.stdout;
}

async function query<T>(text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
});
afterAll(async () => {
  await engine?.kill('SIGTERM');
});

describe('tend demo seed, then a first start', () => {
  it('seeds customers with what the journeys use, and their history', async () => {
    expect(await seed(300)).toMatch(/^seeded 300 customers and [\d,]+ orders/);
    const [people] = await query<Record<string, string>>(`
      SELECT count(*) AS total, count(email_enc) AS email, count(phone_enc) AS phone,
        count(birthday_md) AS birthday, count(owner) AS owner,
        count(*) FILTER (WHERE locale = 'zh-CN') AS chinese, count(DISTINCT timezone) AS zones,
        count(*) FILTER (WHERE consent->'email'->>'status' = 'granted') AS "emailConsent",
        count(*) FILTER (WHERE consent->'sms'->>'status' = 'granted') AS "smsConsent"
      FROM customers`);
    expect(people).toMatchObject({ total: '300', email: '300', phone: '300', birthday: '300', owner: '300' });
    expect(Number(people?.chinese)).toBeGreaterThan(100);
    expect(Number(people?.zones)).toBeGreaterThan(5);
    expect(Number(people?.emailConsent)).toBeGreaterThan(240);
    expect(Number(people?.smsConsent)).toBeGreaterThan(150);

    const events = await query<{ type: string; n: string; numbered: string; categorised: string }>(`
      SELECT type, count(*) AS n, count(data->'orderNumber') AS numbered, count(data->'category') AS categorised
      FROM events GROUP BY type ORDER BY type`);
    const signups = events.find((e) => e.type === 'customer.signed_up');
    const orders = events.find((e) => e.type === 'order.placed');
    expect(signups?.n).toBe('300');
    expect(orders && orders.numbered === orders.n && orders.categorised === orders.n).toBe(true);
    // Numbers follow each customer's orders in time: 1, 2, 3…
    const [order] = await query<{ wrong: string }>(`
      SELECT count(*) AS wrong FROM (
        SELECT (data->>'orderNumber')::int AS number, row_number() OVER (PARTITION BY customer_id ORDER BY occurred_at, seq) AS nth
        FROM events WHERE type = 'order.placed') o
      WHERE number <> nth`);
    expect(order?.wrong).toBe('0');
    // The last days' events wait for the engine's dispatcher.
    const [pending] = await query<{ n: string }>('SELECT count(*) AS n FROM event_dispatch');
    expect(Number(pending?.n)).toBeGreaterThan(0);

    // Seeding again adds nobody and no history twice.
    expect(await seed(300)).toMatch(/^seeded 0 customers and 0 orders/);
    const [again] = await query<{ n: string }>(`SELECT count(*) AS n FROM events`);
    expect(again?.n).toBe(String(events.reduce((sum, e) => sum + Number(e.n), 0)));
  });

  it('a first start runs the shipped journeys for them: acquire, develop, retain, win-back', async () => {
    engine = await spawnEngine(databaseUrl, { TEND_WORKFLOWS_DIR: path.join(root, 'workflows') });
    const url = engine.url;
    const runs = async (workflow: string) =>
      (await call(url, 'GET', `/api/runs?workflow=${workflow}&limit=1000`)).body.runs as unknown[];
    // Each journey has customers in it, and has messaged some of them: sent to the dev mailbox,
    // or held until quiet hours end where it is night (which zones depends on the time of day).
    for (const workflow of ['acquire', 'develop', 'retain', 'win-back']) {
      await eventually(async () => (await runs(workflow)).length > 0, 60_000);
      await eventually(async () => {
        const r = await call(url, 'GET', `/api/messages?workflow=${workflow}&limit=50`);
        const messages = r.body.messages as { status: string }[];
        return messages.some((m) => m.status === 'sent' || m.status === 'deferred');
      }, 60_000);
    }
  });
});
