/**
 * Delivery throughput: messages/s from events through the outbox to a local SMTP peer and into
 * the dev mailbox, against the same journey with a no-op step (what the engine itself costs per
 * message), each on a fresh database of the same server, in the same run.
 *
 * Each phase runs its own engine process, as users run it. Run in this process one after the
 * other, each phase inherited what the one before left in the process: the no-op phase, run after
 * the SMTP one, delivered at a tenth of its rate alone, and an SMTP phase run after a no-op one
 * sent nothing.
 */
import path from 'node:path';
import pg from 'pg';
import { startSmtpPeer } from '../../tests/support/smtp-peer.ts';
import { api, progress, root, spawnEngine } from './support.ts';

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
/** The shipped templates (a link to workflows/templates) and no journey but the benchmark's. */
const TEMPLATES_ONLY = path.join(root, 'engine', 'bench', 'mail-only');

export async function messagingBench(serverUrl: string, messages: number) {
  const smtp = await startSmtpPeer();
  try {
    const viaSmtp = await measure(
      serverUrl,
      'smtp',
      messages,
      { SMTP_URL: smtp.url },
      async () => smtp.mails.length,
    );
    const engineAlone = await measure(
      serverUrl,
      'noop',
      messages,
      {},
      (db) => count(db, `SELECT count(*)::int AS n FROM runs WHERE status = 'completed'`),
      'uses: bench.noop',
    );
    const devMailbox = await measure(serverUrl, 'devbox', messages, {}, (db) =>
      count(db, `SELECT count(*)::int AS n FROM outbox WHERE status = 'sent'`),
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

async function count(db: pg.Client, query: string): Promise<number> {
  return (await db.query<{ n: number }>(query)).rows[0]?.n ?? 0;
}

/** Events for `messages` customers, timed until `delivered` counts them all. */
async function measure(
  serverUrl: string,
  label: string,
  messages: number,
  env: Record<string, string>,
  delivered: (db: pg.Client) => Promise<number>,
  step = SEND,
): Promise<DeliveryRate> {
  const databaseUrl = await freshDatabase(serverUrl, `bench_mail_${label}_${Date.now()}`);
  const engine = await spawnEngine(databaseUrl, { TEND_WORKFLOWS_DIR: TEMPLATES_ONLY, ...env });
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const saved = await api(engine.url, 'POST', '/api/workflows', journey(step), 'application/yaml');
    await api(engine.url, 'POST', '/api/workflows/bench-mail/publish', { version: saved.version });
    const ids = Array.from({ length: messages }, (_, i) => `b${i}`);
    for (let i = 0; i < ids.length; i += 1000) {
      const chunk = ids.slice(i, i + 1000);
      await api(
        engine.url,
        'POST',
        '/api/customers/batch',
        chunk.map((id) => ({ id, email: `${id}@example.com`, name: id, consent: { email: 'granted' } })),
      );
    }
    const started = performance.now();
    for (let i = 0; i < ids.length; i += 1000)
      await api(
        engine.url,
        'POST',
        '/api/events/batch',
        ids.slice(i, i + 1000).map((id) => ({ customerId: id, type: 'bench.mail' })),
      );
    const deadline = Date.now() + 600_000;
    for (;;) {
      const n = await delivered(db);
      progress(`delivery: ${label}`, n, messages);
      if (n >= messages) break;
      if (Date.now() > deadline) throw new Error(`${label}: only ${n} of ${messages} delivered`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (performance.now() - started) / 1000;
    return { messages, seconds: Math.round(seconds * 100) / 100, perSecond: Math.round(messages / seconds) };
  } finally {
    await db.end();
    await engine.stop();
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
