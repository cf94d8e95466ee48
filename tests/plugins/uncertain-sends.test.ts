import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/database.ts';
import { call, type EngineProcess, spawnEngine } from '../support/process.ts';
import { type SmtpPeer, startSmtpPeer } from '../support/smtp-peer.ts';

// More for a measurement: UNCERTAIN_CUSTOMERS=400 UNCERTAIN_KILLS=12 npx vitest run tests/plugins/uncertain-sends.test.ts
const CUSTOMERS = Number(process.env.UNCERTAIN_CUSTOMERS ?? 100);
const KILLS = Number(process.env.UNCERTAIN_KILLS ?? 3);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const journey = `
id: one-mail
name: One mail
trigger: { event: mail.start }
start: mail
states:
  mail:
    steps:
      - uses: messaging.send
        with: { channel: email, template: welcome }
    end: done
`;

const peers: SmtpPeer[] = [];
const engines: EngineProcess[] = [];
afterAll(async () => {
  await Promise.all(engines.map((e) => e.kill('SIGKILL')));
  await Promise.all(peers.map((p) => p.close()));
});

/**
 * Mails to an SMTP peer that keeps each mail 50 ms before answering 250, with the engine killed
 * (SIGKILL) again and again exactly there: after the peer took a mail, before the engine heard
 * so. Returns what the peer and the outbox saw.
 */
async function sendUnderKills(policy: 'resend' | 'hold') {
  const databaseUrl = await createTestDatabase();
  const smtp = await startSmtpPeer({ acceptDelayMs: 50 });
  peers.push(smtp);
  const start = () =>
    spawnEngine(databaseUrl, {
      SMTP_URL: smtp.url,
      TEND_WORKFLOWS_DIR: path.join(root, 'workflows'),
      TEND_SEND_CONCURRENCY: '8',
      TEND_EMAIL_UNCERTAIN: policy,
    });
  let engine = await start();
  engines.push(engine);
  expect((await call(engine.url, 'POST', '/api/workflows', journey, 'application/yaml')).status).toBe(201);
  await call(engine.url, 'POST', '/api/workflows/one-mail/publish', { version: 1 });
  const people = Array.from({ length: CUSTOMERS }, (_, i) => ({
    id: `${policy}-${i}`,
    email: `${policy}-${i}@example.com`,
    consent: { email: 'granted' },
  }));
  expect((await call(engine.url, 'POST', '/api/customers/batch', people)).status).toBe(200);
  const events = people.map((p) => ({ id: `go-${p.id}`, customerId: p.id, type: 'mail.start' }));
  expect((await call(engine.url, 'POST', '/api/events/batch', events)).status).toBe(202);

  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const count = async (sql: string) => (await db.query<{ n: number }>(sql)).rows[0]?.n ?? 0;
  try {
    for (let kill = 0; kill < KILLS; kill++) {
      // Each kill lands where the outcome is unknown: the peer has kept a mail from this process
      // and not yet answered 250.
      const deadline = Date.now() + 60_000;
      while (smtp.unanswered === 0) {
        if (Date.now() > deadline) throw new Error(`no mail awaiting its 250:\n${engine.output()}`);
        await new Promise((r) => setTimeout(r, 2));
      }
      await engine.kill('SIGKILL');
      engines.splice(engines.indexOf(engine), 1);
      engine = await start();
      engines.push(engine);
    }
    const deadline = Date.now() + 150_000;
    while ((await count(`SELECT count(*)::int AS n FROM runs WHERE status = 'completed'`)) < CUSTOMERS) {
      if (Date.now() > deadline) throw new Error(`runs did not finish\n${engine.output()}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    const outbox = await db.query<{ key: string; status: string; provider_id: string | null }>(
      'SELECT key, status, provider_id FROM outbox',
    );
    return { smtp, engine, outbox: outbox.rows };
  } finally {
    await db.end();
  }
}

describe('a send whose outcome is unknown after kill -9 (slow SMTP peer: 50 ms before 250)', () => {
  it('hold: no mail twice; each is sent once or held as uncertain for a person', async () => {
    const { smtp, engine, outbox } = await sendUnderKills('hold');
    const twice = [...smtp.perMessageId.entries()].filter(([, n]) => n > 1);
    expect(twice, 'Message-IDs the peer received more than once').toEqual([]);
    expect(outbox).toHaveLength(CUSTOMERS);
    const held = outbox.filter((m) => m.status === 'uncertain');
    expect(outbox.filter((m) => m.status !== 'sent' && m.status !== 'uncertain')).toEqual([]);
    expect(smtp.mails.length).toBeGreaterThanOrEqual(CUSTOMERS - held.length);
    process.stdout.write(
      `uncertain sends, hold: ${KILLS} kills, ${smtp.mails.length} mails for ${CUSTOMERS} messages, ${held.length} held as uncertain, none twice\n`,
    );

    const listed = await call(engine.url, 'GET', '/api/messages?status=uncertain&limit=200');
    expect(listed.status).toBe(200);
    expect(listed.body.messages).toHaveLength(held.length);
    const heldOne = held[0];
    if (heldOne) {
      // A person releases it: it goes once more, with the same Message-ID.
      const released = await call(
        engine.url,
        'POST',
        `/api/outbox/${encodeURIComponent(heldOne.key)}/release`,
      );
      expect(released.body).toMatchObject({ key: heldOne.key, status: 'sent' });
      expect(
        (await call(engine.url, 'POST', `/api/outbox/${encodeURIComponent(heldOne.key)}/release`)).status,
      ).toBe(409);
    }
    const heldTwo = held[1];
    if (heldTwo) {
      const dropped = await call(engine.url, 'POST', `/api/outbox/${encodeURIComponent(heldTwo.key)}/drop`);
      expect(dropped.body).toMatchObject({ status: 'failed', reason: 'dropped' });
    }
    expect((await call(engine.url, 'POST', '/api/outbox/no-such-key/drop')).status).toBe(404);
  }, 300_000);

  it('resend: every mail arrives at least once; a repeat carries the same Message-ID', async () => {
    const { smtp, outbox } = await sendUnderKills('resend');
    expect(outbox.filter((m) => m.status !== 'sent')).toEqual([]);
    // One Message-ID per message: a repeat is the same mail again, which receivers can drop.
    const ids = new Set(outbox.map((m) => m.provider_id));
    expect(smtp.perMessageId.size).toBe(CUSTOMERS);
    for (const id of smtp.perMessageId.keys()) expect(ids.has(id)).toBe(true);
    const repeats = [...smtp.perMessageId.values()].filter((n) => n > 1).length;
    process.stdout.write(
      `uncertain sends, resend: ${KILLS} kills, ${smtp.mails.length} mails for ${CUSTOMERS} messages, ${repeats} received twice (same Message-ID)\n`,
    );
  }, 300_000);
});
