import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { bodyShape, Hono, HttpError, type PluginContext, type PluginEnv, parseJson } from '@tend/plugin-sdk';
import type { MessagingSettings } from './settings.ts';

export const FEEDBACK = ['delivered', 'bounced', 'opened', 'clicked', 'complained'] as const;
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
export const oneOrMany = bodyShape<Feedback | Feedback[]>({
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
export function messageCallbacks(ctx: PluginContext<MessagingSettings>) {
  return new Hono<PluginEnv>().post('/api/messages/callbacks/:provider', async (c) => {
    const provider = c.req.param('provider');
    const body = await c.req.text();
    if (body.length > MAX_BODY)
      throw new HttpError(413, 'too_large', `callbacks are at most ${MAX_BODY} bytes`);
    const signed = verifySignature(
      ctx,
      provider,
      body,
      c.req.header('x-tend-timestamp'),
      c.req.header('x-tend-signature'),
    );
    if (!signed) {
      // Not signed by the provider: an API key allowed to send events will do.
      const caller = c.var.caller;
      if (!caller)
        throw new HttpError(
          401,
          'unauthorized',
          'sign the callback, or send an API key: Authorization: Bearer <key>',
        );
      if (!c.var.can('events:ingest')) {
        throw new HttpError(
          403,
          'forbidden',
          `the ${caller.role} key "${caller.name}" may not do this (needs events:ingest)`,
        );
      }
    }
    if (body.trim() === '') throw new HttpError(400, 'bad_request', 'the request body is empty; send JSON');
    const items = [oneOrMany(parseJson(body))].flat();
    const recorded = await record(ctx, provider, items);
    if (recorded.unknown.length === items.length) {
      throw new HttpError(404, 'not_found', `message ${recorded.unknown[0]} not found`);
    }
    return c.json({ recorded: recorded.count, unknown: recorded.unknown }, 202);
  });
}

async function record(ctx: PluginContext, provider: string, items: Feedback[]) {
  const unknown: string[] = [];
  const events = [];
  for (const f of items) {
    const at = f.at ?? ctx.now().toISOString();
    const detail = { provider, ...(f.url ? { url: f.url } : {}), ...(f.reason ? { reason: f.reason } : {}) };
    const message = await ctx.outbox.feedback(f.messageId, { type: f.event, at, detail });
    if (!message?.customerId) {
      unknown.push(f.messageId);
      continue;
    }
    // One event per message and kind (a second "opened" is not news); clicks count per link.
    const id = `feedback:${createHash('sha256')
      .update(`${message.key}:${f.event}:${f.url ?? ''}`)
      .digest('hex')
      .slice(0, 40)}`;
    events.push({
      id,
      customerId: message.customerId,
      type: `message.${f.event}`,
      data: {
        messageId: message.providerId,
        channel: message.channel,
        template: message.template,
        workflow: message.workflowId,
        ...detail,
      },
    });
  }
  if (events.length > 0) await ctx.events.emit(events);
  return { count: events.length, unknown };
}

function verifySignature(
  ctx: PluginContext<MessagingSettings>,
  provider: string,
  body: string,
  timestamp: string | undefined,
  signature: string | undefined,
): boolean {
  const s = ctx.settings;
  const secret = provider === 'sms' ? s.smsSecret : provider === 'webhook' ? s.webhookSecret : null;
  if (!secret || !timestamp || !signature) return false;
  const age = Math.abs(ctx.now().getTime() / 1000 - Number(timestamp));
  if (!Number.isFinite(age) || age > MAX_AGE_SECONDS) return false;
  const want = Buffer.from(`v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`);
  const got = Buffer.from(signature);
  return want.length === got.length && timingSafeEqual(want, got);
}
