import { Hono } from 'hono';
import { badRequest, notFound } from '../errors.ts';
import type { KeyRing } from '../privacy/key-ring.ts';
import { getOutbox, listOutbox, type OutboxRow } from '../store/outbox.ts';
import type { AppEnv } from './app-env.ts';
import { requires } from './auth.ts';

const STATUSES = ['pending', 'deferred', 'sent', 'skipped', 'failed', 'sending', 'uncertain'];
const CHANNELS = ['email', 'sms', 'webhook'];

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
    if (q.status !== undefined && !STATUSES.includes(q.status))
      throw badRequest(`status must be one of ${STATUSES.join(', ')}`);
    if (q.channel !== undefined && !CHANNELS.includes(q.channel))
      throw badRequest(`channel must be one of ${CHANNELS.join(', ')}`);
    const before = q.before === undefined ? undefined : new Date(q.before);
    if (before && Number.isNaN(before.getTime())) throw badRequest('before must be a date-time');
    const rows = await listOutbox(c.var.services.db, {
      limit,
      ...(q.customer ? { customer: q.customer } : {}),
      ...(q.workflow ? { workflow: q.workflow } : {}),
      ...(q.status ? { status: q.status } : {}),
      ...(q.channel ? { channel: q.channel } : {}),
      ...(q.provider ? { provider: q.provider } : {}),
      ...(before ? { before } : {}),
    });
    const keys = c.var.services.customers.keys;
    const messages = rows.map((r) => messageView(r, keys));
    return c.json({
      messages,
      next: messages.length === limit ? (messages.at(-1)?.createdAt ?? null) : null,
    });
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
