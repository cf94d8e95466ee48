import {
  callerOf,
  Hono,
  HttpError,
  isStepError,
  type PluginContext,
  type PluginEnv,
  requires,
} from '@tend/plugin-sdk';
import { deliver, unknownOutcome } from './deliver.ts';
import type { MessagingSettings } from './settings.ts';

/**
 * A person's decisions on messages held as `uncertain` (`hold` policy): `POST /api/outbox/:key/release`
 * sends it again, once, with the same Message-ID (receivers that got the first can drop the
 * copy); `POST /api/outbox/:key/drop` gives it up. Listed by `GET /api/messages?status=uncertain`.
 */
export function heldMessages(ctx: PluginContext<MessagingSettings>) {
  const uncertain = async (key: string) => {
    const message = await ctx.outbox.stored(key);
    if (!message) throw new HttpError(404, 'not_found', `no message "${key}" in the outbox`);
    if (message.status !== 'uncertain') {
      throw new HttpError(409, 'not_uncertain', `message "${key}" is ${message.status}, not uncertain`);
    }
    return message;
  };
  return new Hono<PluginEnv>()
    .post('/:key/release', requires('workflows:publish'), async (c) => {
      const key = c.req.param('key');
      const message = await uncertain(key);
      if (!message.to) throw new HttpError(409, 'no_address', `message "${key}" has no recipient any more`);
      await ctx.outbox.decide(key, 'release', callerOf(c).name);
      const now = ctx.now();
      const unsubscribeUrl =
        message.purpose === 'journey' && message.customerId
          ? `${ctx.host.publicUrl()}/u/${ctx.links.sign({ u: message.customerId, c: message.channel }, null)}`
          : null;
      const content = message.content;
      const delivery = {
        key,
        channel: message.channel,
        customerId: message.customerId,
        template: message.template,
        workflowId: message.workflowId,
        to: message.to,
        content: content
          ? {
              subject: content.subject ?? '',
              text: content.text ?? '',
              html: content.html ?? '',
              ...(content.platform ? { platform: content.platform } : {}),
              locale: message.locale ?? '',
            }
          : null,
        unsubscribeUrl,
        data: (content?.payload as Record<string, unknown> | undefined) ?? null,
        secret: null,
        now,
        signal: c.req.raw.signal,
      };
      try {
        // Released by a person: once, and held again if this attempt's outcome is unknown too.
        const record = await ctx.outbox.deliverOnce(key, () => deliver(ctx, delivery), {
          final: () => true,
          at: now,
          uncertain: 'hold',
          unknownOutcome,
        });
        return c.json({ key, status: record.status, provider: record.provider, reason: record.reason });
      } catch (error) {
        const why = isStepError(error) ? `${error.code}: ${error.message}` : (error as Error).message;
        throw new HttpError(502, 'provider_failed', `the provider did not take message "${key}": ${why}`);
      }
    })
    .post('/:key/drop', requires('workflows:publish'), async (c) => {
      const key = c.req.param('key');
      await uncertain(key);
      const record = await ctx.outbox.decide(key, 'drop', callerOf(c).name);
      return c.json({ key, status: record?.status ?? 'failed', reason: record?.reason ?? 'dropped' });
    });
}
