/**
 * Delivery throughput: messages/s from events through the outbox to a local SMTP peer (and,
 * for comparison, into the dev mailbox). Run: `pnpm bench:messaging [--messages N]`.
 * Uses DATABASE_URL's server when set, else an embedded PostgreSQL in a temporary folder.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../../engine/src/config.ts';
import { createLogger } from '../../engine/src/logger.ts';
import { type Running, startTend } from '../../engine/src/server/start.ts';
import { startSmtpPeer } from '../support/smtp-peer.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const MESSAGES = arg('messages', 2000);
const KEY = 'bench-admin-key-0123456789';

const journey = (step: string) => `
id: bench-mail
name: Bench mail
trigger: { event: bench.mail }
start: mail
states:
  mail:
    steps:
      - ${step}
    end: done
`;
const SEND = 'uses: messaging.send\n        with: { channel: email, template: welcome }';

async function measure(
  label: string,
  env: Record<string, string>,
  delivered: (tend: Running) => Promise<number>,
  step = SEND,
) {
  const dir = await mkdtemp(path.join(tmpdir(), 'tend-bench-mail-'));
  const config = loadConfig({
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    TEND_DATA_DIR: dir,
    PORT: '0',
    TEND_API_KEY: KEY,
    TEND_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
    TEND_LOG_LEVEL: 'warn',
    ...(process.env.TEND_SEND_CONCURRENCY
      ? { TEND_SEND_CONCURRENCY: process.env.TEND_SEND_CONCURRENCY }
      : {}),
    ...env,
  });
  const tend = await startTend(config, { log: createLogger('warn') });
  const api = async (method: string, route: string, body: unknown, type = 'application/json') => {
    const res = await fetch(`${tend.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${KEY}`, 'content-type': type },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`${route}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  try {
    const saved = (await api('POST', '/api/workflows', journey(step), 'application/yaml')) as {
      version: number;
    };
    await api('POST', '/api/workflows/bench-mail/publish', { version: saved.version });
    const ids = Array.from({ length: MESSAGES }, (_, i) => `b${i}`);
    for (let i = 0; i < ids.length; i += 1000) {
      const chunk = ids.slice(i, i + 1000);
      await api(
        'POST',
        '/api/customers/batch',
        chunk.map((id) => ({ id, email: `${id}@example.com`, name: id, consent: { email: 'granted' } })),
      );
    }
    const started = performance.now();
    for (let i = 0; i < ids.length; i += 1000) {
      await api(
        'POST',
        '/api/events/batch',
        ids.slice(i, i + 1000).map((id) => ({ customerId: id, type: 'bench.mail' })),
      );
    }
    const deadline = Date.now() + 600_000;
    while ((await delivered(tend)) < MESSAGES) {
      if (Date.now() > deadline)
        throw new Error(`${label}: only ${await delivered(tend)} of ${MESSAGES} delivered`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(
      `${label.padEnd(34)} ${MESSAGES} messages in ${seconds.toFixed(2)} s = ${(MESSAGES / seconds).toFixed(0)} messages/s\n`,
    );
    return { tend, dir };
  } catch (error) {
    await tend.stop();
    throw error;
  }
}

const smtp = await startSmtpPeer();
const viaSmtp = await measure(
  'outbox → SMTP peer (nodemailer)',
  { SMTP_URL: smtp.url },
  async () => smtp.mails.length,
);
await viaSmtp.tend.stop();
await rm(viaSmtp.dir, { recursive: true, force: true });
await smtp.close();

// The same journey with a step that does nothing: what the engine itself costs per message.
const noop = await measure(
  'engine alone (a no-op step)',
  { TEND_PLUGINS: path.join(import.meta.dirname, '..', 'fixtures', 'plugins', 'test-steps.ts') },
  async (tend) => {
    const r = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM runs WHERE status = 'completed'`.execute(tend.services.db);
    return r.rows[0]?.n ?? 0;
  },
  'uses: test.noop',
);
await noop.tend.stop();
await rm(noop.dir, { recursive: true, force: true });

const dev = await measure('outbox → dev mailbox (no SMTP_URL)', {}, async (tend) => {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM outbox WHERE status = 'sent'`.execute(
    tend.services.db,
  );
  return r.rows[0]?.n ?? 0;
});
await dev.tend.stop();
await rm(dev.dir, { recursive: true, force: true });
