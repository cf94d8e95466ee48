import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/database.ts';
import { call, type EngineProcess, spawnEngine } from '../support/process.ts';
import { type SmtpPeer, startSmtpPeer } from '../support/smtp-peer.ts';

const CUSTOMERS = 120;
const KILLS = 3;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

let databaseUrl: string;
let smtp: SmtpPeer;
let engine: EngineProcess | null = null;

const journey = `
id: two-mails
name: Two mails
trigger: { event: mails.start }
start: first
states:
  first:
    steps:
      - uses: messaging.send
        with: { channel: email, template: welcome }
      - uses: messaging.send
        with: { channel: email, template: getting-started }
    end: done
`;

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  // Each SMTP transaction takes a while before DATA, so kills land while mails are in flight.
  smtp = await startSmtpPeer({ delayMs: 40 });
});
afterAll(async () => {
  await engine?.kill('SIGKILL');
  await smtp?.close();
});

const start = () =>
  spawnEngine(databaseUrl, {
    SMTP_URL: smtp.url,
    TEND_WORKFLOWS_DIR: path.join(root, 'workflows'),
    TEND_SEND_CONCURRENCY: '8',
  });

describe('kill -9 in the middle of sending mail', () => {
  it(`delivers each message exactly once to an SMTP peer (${CUSTOMERS * 2} mails, ${KILLS} kills)`, async () => {
    engine = await start();
    expect((await call(engine.url, 'POST', '/api/workflows', journey, 'application/yaml')).status).toBe(201);
    await call(engine.url, 'POST', '/api/workflows/two-mails/publish', { version: 1 });
    const people = Array.from({ length: CUSTOMERS }, (_, i) => ({
      id: `m${i}`,
      email: `m${i}@example.com`,
      name: `Customer ${i}`,
      consent: { email: 'granted' },
    }));
    expect((await call(engine.url, 'POST', '/api/customers/batch', people)).status).toBe(200);
    const events = people.map((p) => ({ id: `go-${p.id}`, customerId: p.id, type: 'mails.start' }));
    expect((await call(engine.url, 'POST', '/api/events/batch', events)).status).toBe(202);

    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const count = async (sql: string) => (await db.query<{ n: number }>(sql)).rows[0]?.n ?? 0;
    try {
      const inFlight: number[] = [];
      for (let kill = 0; kill < KILLS; kill++) {
        const deadline = Date.now() + 60_000;
        while ((await count(`SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'`)) === 0) {
          if (Date.now() > deadline) throw new Error(`no sends in flight:\n${engine.output()}`);
          await new Promise((r) => setTimeout(r, 20));
        }
        await new Promise((r) => setTimeout(r, Math.random() * 150));
        inFlight.push(await count(`SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'`));
        await engine.kill('SIGKILL');
        engine = await start();
      }
      expect(
        inFlight.filter((n) => n > 0).length,
        `pending at each kill: ${inFlight}`,
      ).toBeGreaterThanOrEqual(KILLS - 1);

      const deadline = Date.now() + 150_000;
      while ((await count(`SELECT count(*)::int AS n FROM runs WHERE status = 'completed'`)) < CUSTOMERS) {
        if (Date.now() > deadline) throw new Error(`runs did not finish\n${engine.output()}`);
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(await count(`SELECT count(*)::int AS n FROM outbox WHERE status = 'sent'`)).toBe(CUSTOMERS * 2);
      const repeated = [...smtp.perMessageId.entries()].filter(([, n]) => n > 1);
      expect(repeated, 'Message-IDs the peer received more than once').toEqual([]);
      expect(smtp.perMessageId.size).toBe(CUSTOMERS * 2);
      expect(smtp.mails).toHaveLength(CUSTOMERS * 2);
      process.stdout.write(
        `smtp crash test: pending sends at each kill ${inFlight.join(', ')}; ${smtp.mails.length} mails, none twice\n`,
      );
    } finally {
      await db.end();
    }
  }, 300_000);
});
