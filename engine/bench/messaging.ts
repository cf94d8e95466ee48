/**
 * Delivery throughput: messages/s from events through the outbox to a local SMTP peer and into
 * the dev mailbox, against the same journey with a no-op step (what the engine itself costs per
 * message), each on a fresh database of the same server, in the same run.
 */
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { startSmtpPeer } from '../../tests/support/smtp-peer.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { type Running, startTend } from '../src/server/start.ts';
import { BENCH_KEY, progress, root } from './support.ts';

export interface DeliveryRate {
  messages: number;
  seconds: number;
  perSecond: number;
}

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

export async function messagingBench(databaseUrl: string, messages: number) {
  const smtp = await startSmtpPeer();
  try {
    const viaSmtp = await measure(
      databaseUrl,
      'smtp',
      messages,
      { SMTP_URL: smtp.url },
      async () => smtp.mails.length,
    );
    const engineAlone = await measure(
      databaseUrl,
      'noop',
      messages,
      { TEND_PLUGINS: path.join(root, 'tests', 'fixtures', 'plugins', 'test-steps.ts') },
      async (tend) =>
        (
          await sql<{ n: number }>`SELECT count(*)::int AS n FROM runs WHERE status = 'completed'`.execute(
            tend.services.db,
          )
        ).rows[0]?.n ?? 0,
      'uses: test.noop',
    );
    const devMailbox = await measure(
      databaseUrl,
      'devbox',
      messages,
      {},
      async (tend) =>
        (
          await sql<{ n: number }>`SELECT count(*)::int AS n FROM outbox WHERE status = 'sent'`.execute(
            tend.services.db,
          )
        ).rows[0]?.n ?? 0,
    );
    return {
      smtp: viaSmtp,
      devMailbox,
      engineAlone,
      smtpRatio: Math.round((viaSmtp.perSecond / engineAlone.perSecond) * 1000) / 1000,
      devMailboxRatio: Math.round((devMailbox.perSecond / engineAlone.perSecond) * 1000) / 1000,
    };
  } finally {
    await smtp.close();
  }
}

/** Events for `messages` customers, timed until `delivered` counts them all. */
async function measure(
  serverUrl: string,
  label: string,
  messages: number,
  env: Record<string, string>,
  delivered: (tend: Running) => Promise<number>,
  step = SEND,
): Promise<DeliveryRate> {
  const databaseUrl = await freshDatabase(serverUrl, `bench_mail_${label}_${Date.now()}`);
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    PORT: '0',
    TEND_API_KEY: BENCH_KEY,
    TEND_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
    TEND_LOG_LEVEL: 'warn',
    ...env,
  });
  const tend = await startTend(config, { log: createLogger('warn') });
  const api = async (method: string, route: string, body: unknown, type = 'application/json') => {
    const res = await fetch(`${tend.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${BENCH_KEY}`, 'content-type': type },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`${route}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<{ version: number }>;
  };
  try {
    const saved = await api('POST', '/api/workflows', journey(step), 'application/yaml');
    await api('POST', '/api/workflows/bench-mail/publish', { version: saved.version });
    const ids = Array.from({ length: messages }, (_, i) => `b${i}`);
    for (let i = 0; i < ids.length; i += 1000) {
      const chunk = ids.slice(i, i + 1000);
      await api(
        'POST',
        '/api/customers/batch',
        chunk.map((id) => ({ id, email: `${id}@example.com`, name: id, consent: { email: 'granted' } })),
      );
    }
    const started = performance.now();
    for (let i = 0; i < ids.length; i += 1000)
      await api(
        'POST',
        '/api/events/batch',
        ids.slice(i, i + 1000).map((id) => ({ customerId: id, type: 'bench.mail' })),
      );
    const deadline = Date.now() + 600_000;
    for (;;) {
      const n = await delivered(tend);
      progress(`delivery: ${label}`, n, messages);
      if (n >= messages) break;
      if (Date.now() > deadline) throw new Error(`${label}: only ${n} of ${messages} delivered`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (performance.now() - started) / 1000;
    return { messages, seconds: Math.round(seconds * 100) / 100, perSecond: Math.round(messages / seconds) };
  } finally {
    await tend.stop();
  }
}

async function freshDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
