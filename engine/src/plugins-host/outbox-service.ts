import type {
  MessageChannel,
  OutboxMessage,
  OutboxRecord,
  OutboxService,
  OutboxStatus,
} from '@tend/plugin-sdk';
import type { Clock } from '../clock.ts';
import type { KeyRing } from '../privacy/key-ring.ts';
import type { Db } from '../store/db.ts';
import {
  addFeedback,
  countChannelSends,
  countJourneySends,
  decideUncertain,
  getOutbox,
  isSettled,
  lockCustomerSends,
  markAttemptFailed,
  markSending,
  markSent,
  markUncertain,
  type OutboxState,
  type OutboxWrite,
  outboxState,
  putOutbox,
} from '../store/outbox.ts';
import { Semaphore } from './semaphore.ts';

/** A provider call that failed inside deliverOnce (kept apart from database errors). */
class SendFailed extends Error {}

/**
 * The outbox behind `ctx.services.outbox`. Recipients and content are encrypted here, so the
 * store only ever sees ciphertexts. Deliveries hold their row's lock while the provider is
 * called, hence the semaphore: at most `concurrency` database connections wait on providers.
 */
export function outboxService(db: Db, keys: KeyRing, concurrency: number, now: Clock): OutboxService {
  const sending = new Semaphore(concurrency);
  const write = (m: OutboxMessage, status: string, extra: Partial<OutboxWrite> = {}): OutboxWrite => ({
    key: m.key,
    customer_id: m.customerId,
    workflow_id: m.workflowId,
    run_id: m.runId,
    channel: m.channel,
    template: m.template,
    locale: m.locale,
    purpose: m.purpose,
    status,
    reason: null,
    detail: null,
    to_enc: m.to === null ? null : keys.encrypt(m.to),
    content_enc: m.content === null ? null : keys.encrypt(JSON.stringify(m.content)),
    created_at: m.at,
    deferred_until: null,
    ...extra,
  });
  const read = async (key: string) => {
    const row = await outboxState(db, key);
    if (!row) throw new Error(`outbox has no message ${key}`);
    return toRecord(row);
  };

  return {
    async get(key) {
      const row = await outboxState(db, key);
      return row ? toRecord(row) : null;
    },
    async skip(message, reason, detail) {
      const written = await putOutbox(db, write(message, 'skipped', { reason, detail }), now());
      // Nothing written: the message was settled before, and stays as it was.
      return written ? toRecord(written) : read(message.key);
    },
    async defer(message, until, detail) {
      await putOutbox(
        db,
        write(message, 'deferred', { reason: 'quiet_hours', detail, deferred_until: until }),
        now(),
      );
    },
    async claim(message, cap, channelCaps = []) {
      return db.transaction().execute(async (trx) => {
        if (message.customerId) await lockCustomerSends(trx, message.customerId);
        const existing = await outboxState(trx, message.key, true);
        if (existing && isSettled(existing.status)) return { kind: 'settled', record: toRecord(existing) };
        // Being handed over when its process died: deliverOnce decides, by the channel's policy.
        if (existing?.status === 'sending') return { kind: 'claimed', record: toRecord(existing) };
        if (cap && message.customerId && message.purpose === 'journey') {
          const sent = await countJourneySends(trx, message.customerId, cap.since, message.key);
          if (sent >= cap.max) {
            const detail = `${sent} messages since ${cap.since.toISOString()} (cap ${cap.max})`;
            const capped = await putOutbox(
              trx,
              write(message, 'skipped', { reason: 'frequency_cap', detail }),
              now(),
            );
            return { kind: 'capped', record: toRecord(capped as OutboxState) };
          }
        }
        if (message.customerId && message.purpose === 'journey') {
          for (const limit of channelCaps) {
            const sent = await countChannelSends(
              trx,
              message.customerId,
              message.channel,
              limit.template,
              limit.since,
              message.key,
            );
            if (sent < limit.max) continue;
            const detail = `${sent} ${message.channel} messages${limit.template ? ` of ${limit.template}` : ''} since ${limit.since.toISOString()} (${limit.label})`;
            const capped = await putOutbox(
              trx,
              write(message, 'skipped', { reason: 'provider_limit', detail }),
              now(),
            );
            return { kind: 'capped', record: toRecord(capped as OutboxState) };
          }
        }
        const claimed = await putOutbox(trx, write(message, 'pending'), now());
        return { kind: 'claimed', record: toRecord(claimed as OutboxState) };
      });
    },
    async feedback(id, entry) {
      const row = await addFeedback(db, id, entry, now());
      if (!row) return null;
      return {
        key: row.key,
        customerId: row.customer_id,
        workflowId: row.workflow_id,
        channel: row.channel,
        template: row.template,
        providerId: row.provider_id,
      };
    },
    async deliverOnce(key, send, { final, at, uncertain = 'resend', unknownOutcome = () => false }) {
      await sending.acquire();
      try {
        // First, in a commit of its own: the message is being handed over. An attempt that finds
        // it so knows that one died while handing it over, and that it may have arrived.
        const before = await db.transaction().execute(async (trx) => {
          const row = await outboxState(trx, key, true);
          if (!row) throw new Error(`message ${key} was not claimed before delivery`);
          if (isSettled(row.status)) return toRecord(row);
          if (row.status === 'sending' && uncertain === 'hold') {
            const detail = 'a process died while handing this message to the provider: it may have arrived';
            return toRecord(await markUncertain(trx, key, 'crashed_while_sending', detail, now()));
          }
          // `resend`: it goes again, with the same key and Message-ID.
          await markSending(trx, key, now());
          return null;
        });
        if (before) return before;
        return await db.transaction().execute(async (trx) => {
          // The row stays locked during the call: another attempt waits for this one's outcome.
          const row = await outboxState(trx, key, true);
          if (!row) throw new Error(`message ${key} vanished while being sent`);
          if (row.status !== 'sending') return toRecord(row);
          let sent: { provider: string; providerId: string | null };
          try {
            sent = await send();
          } catch (error) {
            throw new SendFailed('provider call failed', { cause: error });
          }
          // A crash before this commit leaves the row `sending` (the next attempt resends or holds
          // it), a crash after it leaves it sent (the next attempt does not send).
          return toRecord(await markSent(trx, key, sent.provider, sent.providerId, at));
        });
      } catch (error) {
        if (!(error instanceof SendFailed)) throw error;
        const cause = error.cause as Error & { code?: string };
        const code = String(cause?.code ?? 'provider_error');
        if (uncertain === 'hold' && unknownOutcome(cause)) {
          return toRecord(await markUncertain(db, key, code, String(cause?.message), now()));
        }
        await markAttemptFailed(db, key, code, String(cause?.message), final(cause), now());
        throw cause;
      } finally {
        sending.release();
      }
    },
    async stored(key) {
      const row = await getOutbox(db, key);
      if (!row) return null;
      return {
        key: row.key,
        status: row.status as OutboxStatus,
        customerId: row.customer_id,
        channel: row.channel as MessageChannel,
        template: row.template,
        locale: row.locale,
        purpose: row.purpose as OutboxMessage['purpose'],
        workflowId: row.workflow_id,
        runId: row.run_id,
        to: row.to_enc ? keys.decrypt(row.to_enc) : null,
        content: row.content_enc
          ? (JSON.parse(keys.decrypt(row.content_enc)) as OutboxMessage['content'])
          : null,
        at: row.created_at,
      };
    },
    async decide(key, decision, by) {
      const row = await decideUncertain(db, key, decision, by, now());
      return row ? toRecord(row) : null;
    },
  };
}

export function toRecord(row: OutboxState): OutboxRecord {
  return {
    key: row.key,
    status: row.status as OutboxRecord['status'],
    reason: row.reason,
    detail: row.detail,
    provider: row.provider,
    providerId: row.provider_id,
    attempts: row.attempts,
    sentAt: row.sent_at,
  };
}
