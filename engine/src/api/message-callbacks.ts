import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { AppError, badRequest, notFound } from '../errors.ts';
import type { AppEnv, AppServices } from '../server/services.ts';
import { addFeedback } from '../store/outbox.ts';
import { authenticate, requires } from './auth.ts';
import { bodyShape } from './body.ts';

const FEEDBACK = ['delivered', 'bounced', 'opened', 'clicked', 'complained'] as const;
const MAX_BODY = 256 * 1024;
/** Signed callbacks older than this are refused (a replayed request carries an old timestamp). */
const MAX_AGE_SECONDS = 300;

const item = {
  type: 'object',
  properties: {
    messageId: { type: 'string', minLength: 1, maxLength: 300 },
    event: { enum: FEEDBACK },
    at: { type: 'string', format: 'date-time' },
    url: { type: 'string', maxLength: 2000 },
    reason: { type: 'string', maxLength: 500 },
  },
  required: ['messageId', 'event'],
  additionalProperties: false,
};
type Feedback = {
  messageId: string;
  event: (typeof FEEDBACK)[number];
  at?: string;
  url?: string;
  reason?: string;
};
const oneOrMany = bodyShape<Feedback | Feedback[]>({
  anyOf: [item, { type: 'array', items: item, maxItems: 1000 }],
});

/**
 * `POST /api/messages/callbacks/:provider`: delivery feedback from providers (delivered,
 * bounced, opened, clicked, complained), naming a message by the id the provider was given (our
 * key, or the SMTP Message-ID). Each becomes a customer event `message.<event>` (once per
 * message and kind), so a journey can `wait: { event: message.opened }`. Providers sign with the
 * secret Tend signs their requests with (`X-Tend-Timestamp`, `X-Tend-Signature`), or send an
 * API key.
 */
export const messageCallbacks = new Hono<AppEnv>().post('/api/messages/callbacks/:provider', async (c) => {
  const provider = c.req.param('provider');
  const body = await c.req.text();
  if (body.length > MAX_BODY) throw new AppError(413, 'too_large', `callbacks are at most ${MAX_BODY} bytes`);
  const signed = verifySignature(
    c.var.services,
    provider,
    body,
    c.req.header('x-tend-timestamp'),
    c.req.header('x-tend-signature'),
  );
  if (!signed) {
    // Not signed by the provider: an API key allowed to send events will do.
    await authenticate(c, async () => {});
    await requires('events:ingest')(c, async () => {});
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw badRequest(`the body is not valid JSON: ${(error as Error).message}`);
  }
  const items = [oneOrMany(parsed)].flat();
  const recorded = await record(c.var.services, provider, items);
  if (recorded.unknown.length === items.length) throw notFound(`message ${recorded.unknown[0]}`);
  return c.json({ recorded: recorded.count, unknown: recorded.unknown }, 202);
});

async function record(services: AppServices, provider: string, items: Feedback[]) {
  const unknown: string[] = [];
  const events = [];
  for (const f of items) {
    const at = f.at ?? services.now().toISOString();
    const detail = { provider, ...(f.url ? { url: f.url } : {}), ...(f.reason ? { reason: f.reason } : {}) };
    const row = await addFeedback(services.db, f.messageId, { type: f.event, at, detail }, services.now());
    if (!row?.customer_id) {
      unknown.push(f.messageId);
      continue;
    }
    // One event per message and kind (a second "opened" is not news); clicks count per link.
    const id = `feedback:${createHash('sha256')
      .update(`${row.key}:${f.event}:${f.url ?? ''}`)
      .digest('hex')
      .slice(0, 40)}`;
    events.push({
      id,
      customerId: row.customer_id,
      type: `message.${f.event}`,
      data: {
        messageId: row.provider_id,
        channel: row.channel,
        template: row.template,
        workflow: row.workflow_id,
        ...detail,
      },
    });
  }
  if (events.length > 0) await services.steps.events.emit(events);
  return { count: events.length, unknown };
}

function verifySignature(
  services: AppServices,
  provider: string,
  body: string,
  timestamp: string | undefined,
  signature: string | undefined,
): boolean {
  const s = services.config.pluginSettings;
  const secret = provider === 'sms' ? s.sms?.secret : provider === 'webhook' ? s.webhook.secret : null;
  if (!secret || !timestamp || !signature) return false;
  const age = Math.abs(services.now().getTime() / 1000 - Number(timestamp));
  if (!Number.isFinite(age) || age > MAX_AGE_SECONDS) return false;
  const want = Buffer.from(`v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`);
  const got = Buffer.from(signature);
  return want.length === got.length && timingSafeEqual(want, got);
}
