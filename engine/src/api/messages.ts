import { dateParam, MESSAGE_CHANNELS } from '@tend/plugin-sdk';
import { Hono } from 'hono';
import { badRequest, notFound } from '../errors.ts';
import type { KeyRing } from '../privacy/key-ring.ts';
import { getOutbox, listOutbox, type OutboxFilter, type OutboxRow, outboxSummary } from '../store/outbox.ts';
import type { AppEnv } from './app-env.ts';
import { requires } from './auth.ts';
import { readsThatMayLag } from './replica-reads.ts';

const STATUSES = ['pending', 'deferred', 'sent', 'skipped', 'failed', 'sending', 'uncertain'];
const CHANNELS: readonly string[] = MESSAGE_CHANNELS;
const REASON = /^[a-z][a-z0-9_-]{0,60}$/;

/** The filters the list and its summary share, checked: a bad one is a 400 naming it. */
function outboxFilter(q: Record<string, string>): Omit<OutboxFilter, 'limit'> {
  if (q.status !== undefined && !STATUSES.includes(q.status))
    throw badRequest(`status must be one of ${STATUSES.join(', ')}`);
  if (q.channel !== undefined && !CHANNELS.includes(q.channel))
    throw badRequest(`channel must be one of ${CHANNELS.join(', ')}`);
  if (q.reason !== undefined && !REASON.test(q.reason))
    throw badRequest(`reason "${q.reason}" is not a reason code`);
  const from = q.from === undefined ? undefined : dateParam('from', q.from);
  const to = q.to === undefined ? undefined : dateParam('to', q.to);
  if (from && to && from >= to) throw badRequest('from must be before to');
  return {
    ...(q.customer ? { customer: q.customer } : {}),
    ...(q.workflow ? { workflow: q.workflow } : {}),
    ...(q.status ? { status: q.status } : {}),
    ...(q.channel ? { channel: q.channel } : {}),
    ...(q.provider ? { provider: q.provider } : {}),
    ...(q.reason ? { reason: q.reason } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  };
}

/** The `next` a page gave: its last message's time and key. */
function pageCursor(raw: string): { at: Date; key: string } {
  try {
    const [at, key] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown[];
    const when = new Date(typeof at === 'string' ? at : '');
    if (typeof key === 'string' && key.length <= 500 && !Number.isNaN(when.getTime()))
      return { at: when, key };
  } catch {}
  throw badRequest('after: not a cursor this list gave');
}

/**
 * The outbox: every message sent, skipped (with the reason), deferred or failed. Messages that
 * had no provider to go to (`provider: devbox`, e.g. mail without SMTP_URL) are the dev mailbox:
 * `GET /api/messages?provider=devbox` shows them with their content.
 */
export const messagesApi = new Hono<AppEnv>()
  .get('/', requires('read'), async (c) => {
    const q = c.req.query();
    const limit = q.limit === undefined ? 50 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500)
      throw badRequest('limit must be a whole number from 1 to 500');
    const before = q.before === undefined ? undefined : dateParam('before', q.before);
    const rows = await listOutbox((await readsThatMayLag(c)).db, {
      ...outboxFilter(q),
      limit,
      ...(before ? { before } : {}),
      ...(q.after ? { after: pageCursor(q.after) } : {}),
    });
    const keys = c.var.services.customers.keys;
    const messages = rows.map((r) => messageView(r, keys));
    const last = rows.at(-1);
    return c.json({
      messages,
      next:
        rows.length === limit && last
          ? Buffer.from(JSON.stringify([last.created_at.toISOString(), last.key])).toString('base64url')
          : null,
    });
  })
  // Counts by status and reason under the same filters: the outbox's chart, its reason picker.
  .get('/summary', requires('read'), async (c) => {
    const rows = await outboxSummary((await readsThatMayLag(c)).db, outboxFilter(c.req.query()));
    return c.json({ total: rows.reduce((n, r) => n + r.count, 0), counts: rows });
  })
  .get('/:key', requires('read'), async (c) => {
    const key = decodeURIComponent(c.req.param('key'));
    const row = await getOutbox(c.var.services.db, key);
    if (!row) throw notFound(`message "${key}"`);
    return c.json(messageView(row, c.var.services.customers.keys));
  });

/** A message as the API shows it: recipient and content decrypted. */
export function messageView(r: OutboxRow, keys: KeyRing) {
  const content = r.content_enc
    ? (JSON.parse(keys.decrypt(r.content_enc)) as {
        subject?: string;
        text?: string;
        html?: string;
        payload?: unknown;
      })
    : null;
  return {
    key: r.key,
    customerId: r.customer_id,
    workflowId: r.workflow_id,
    runId: r.run_id,
    channel: r.channel,
    template: r.template,
    locale: r.locale,
    purpose: r.purpose,
    status: r.status,
    reason: r.reason,
    detail: r.detail,
    provider: r.provider,
    messageId: r.provider_id,
    to: r.to_enc ? keys.decrypt(r.to_enc) : null,
    subject: content?.subject ?? null,
    text: content?.text ?? null,
    html: content?.html ?? null,
    payload: content?.payload ?? null,
    attempts: r.attempts,
    feedback: r.feedback,
    createdAt: r.created_at.toISOString(),
    sentAt: r.sent_at?.toISOString() ?? null,
    deferredUntil: r.deferred_until?.toISOString() ?? null,
  };
}
