import type { OutboxService } from '@tend/plugin-sdk';
import type { EngineMetrics } from '../observability/metrics.ts';
import { inSpan } from '../observability/tracing.ts';

/**
 * The outbox as plugins see it, counting what it records (`tend_outbox_messages_total`) and how
 * long providers take (`tend_provider_duration_seconds`). Counting stays out of the outbox itself,
 * which is about exactly-once, not about observing it.
 */
export function countedOutbox(outbox: OutboxService, metrics: EngineMetrics): OutboxService {
  const count = (channel: string, status: string, reason: string | null) =>
    metrics.outboxMessages.inc({ channel, status, reason: reason ?? '' });
  // deliverOnce names only the key: the channel is remembered from the claim just before it (a
  // send claims, then delivers at once; the entry goes with the delivery).
  const channelOf = new Map<string, string>();
  return {
    ...outbox,
    async skip(message, reason, detail) {
      const record = await outbox.skip(message, reason, detail);
      count(message.channel, 'skipped', reason);
      return record;
    },
    async defer(message, until, detail) {
      await outbox.defer(message, until, detail);
      count(message.channel, 'deferred', 'quiet_hours');
    },
    async claim(message, cap, channelCaps) {
      const claim = await outbox.claim(message, cap, channelCaps);
      if (claim.kind === 'capped') count(message.channel, 'skipped', claim.record.reason);
      if (claim.kind === 'claimed') channelOf.set(message.key, message.channel);
      return claim;
    },
    async deliverOnce(key, send, options) {
      const channel = channelOf.get(key) ?? 'unknown';
      channelOf.delete(key);
      const timed = () =>
        inSpan(`send ${channel}`, { 'tend.message': key }, async () => {
          const stop = metrics.providerDuration.startTimer();
          try {
            const sent = await send();
            stop({ provider: sent.provider, outcome: 'accepted' });
            return sent;
          } catch (error) {
            // Which provider refused is known only from an answer: a failed call counts under its channel.
            stop({ provider: channel, outcome: String((error as { code?: unknown }).code ?? 'error') });
            throw error;
          }
        });
      try {
        const record = await outbox.deliverOnce(key, timed, options);
        count(channel, record.status, record.reason);
        return record;
      } catch (error) {
        if (options.final(error))
          count(channel, 'failed', String((error as { code?: unknown }).code ?? 'error'));
        throw error;
      }
    },
  };
}
