import {
  durationMs,
  type MessageChannel,
  type OutboxMessage,
  type PluginContext,
  quietUntil,
  type SendOutcome,
  type SendRequest,
  StepError,
} from '@tend/plugin-sdk';
import { brandFor, brandOf, fromHeader, ownerFor } from './brand-context.ts';
import { channelCaps, channelProvider } from './channel-provider.ts';
import { messageIdOf } from './message-id.ts';
import { blockedBy, recipientOf } from './policy.ts';
import { postSigned } from './providers/http.ts';
import { sendMail } from './providers/smtp.ts';
import { type MessagingSettings, uncertainPolicy } from './settings.ts';
import { type Rendered, templatesOf } from './templates.ts';

/**
 * Sends a message at most once per key and records it in the outbox, sent or skipped with the
 * reason: consent, quiet hours (deferred, not skipped), the frequency cap across journeys, a
 * missing address. Used by messaging.send, surveys.send and task reminders.
 */
export async function sendMessage(
  services: PluginContext<MessagingSettings>,
  req: SendRequest,
): Promise<SendOutcome> {
  const { outbox, settings, host } = services;
  const done = await outbox.get(req.key);
  // A message still `pending` (claimed), `sending` (its hand-over was cut short) or `deferred`
  // goes on below; any other status is its outcome.
  if (done && !['pending', 'sending', 'deferred'].includes(done.status)) return settled(req.channel, done);

  const to = recipientOf(req, settings.webhookUrl ?? null);
  const record = (content: Rendered | null, locale: string | null): OutboxMessage => ({
    key: req.key,
    customerId: req.customer?.id ?? null,
    channel: req.channel,
    template: req.template,
    locale,
    purpose: req.purpose,
    workflowId: req.workflowId,
    runId: req.runId,
    to,
    content: content
      ? {
          subject: content.subject,
          text: content.text,
          html: content.html,
          payload: req.data,
          ...(content.platform ? { platform: content.platform } : {}),
        }
      : req.data
        ? { payload: req.data }
        : null,
    at: req.now,
  });

  const blocked = req.purpose === 'journey' ? blockedBy(req, to) : to ? null : noAddress(req);
  if (blocked) {
    const r = await outbox.skip(record(null, null), blocked.reason, blocked.detail);
    return settled(req.channel, r);
  }
  const quiet = req.purpose === 'journey' ? req.limits.quietHours : undefined;
  if (quiet) {
    const zone = req.customer?.timezone ?? host.defaultTimezone;
    const until = quietUntil(req.now, zone, quiet.from, quiet.to);
    if (until) {
      const reason = `quiet hours (${quiet.from}–${quiet.to} ${zone}) until ${until.toISOString()}`;
      await outbox.defer(record(null, null), until, reason);
      return { status: 'deferred', until, reason };
    }
  }

  const unsubscribeUrl =
    req.purpose === 'journey' && req.customer
      ? `${host.publicUrl()}/u/${services.links.sign({ u: req.customer.id, c: req.channel }, null)}`
      : null;
  const locale = (req.customer?.locale as string | null | undefined) ?? null;
  const content = req.template
    ? await templatesOf(host.workflowsDir).render(req.channel, req.template, locale, host.defaultLocale, {
        ...req.scope,
        customer: req.customer,
        unsubscribeUrl,
        brand: brandFor(await brandOf(services), locale ?? host.defaultLocale),
        owner: await ownerFor(services, req.customer?.owner),
      })
    : null;
  if (!content && req.channel !== 'webhook') {
    throw new StepError('no_template', `a ${req.channel} message needs a template`, {
      kind: 'user',
      retryable: false,
    });
  }

  const cap = req.limits.frequencyCap;
  const window = cap ? durationMs(cap.per) : null;
  const provider = (to ?? '').startsWith('devbox:') ? null : channelProvider(services, req.channel);
  const claim = await outbox.claim(
    record(content, content?.locale ?? null),
    cap && window ? { max: cap.messages, since: new Date(req.now.getTime() - window) } : null,
    provider ? channelCaps(provider, req.template, req.now) : [],
  );
  if (claim.kind !== 'claimed') return settled(req.channel, claim.record);

  const delivery: Delivery = {
    key: req.key,
    channel: req.channel,
    customerId: req.customer?.id ?? null,
    template: req.template,
    workflowId: req.workflowId,
    to: to as string,
    content,
    unsubscribeUrl,
    data: req.data ?? null,
    secret: req.secret ?? null,
    now: req.now,
    signal: req.signal,
  };
  const sent = await outbox.deliverOnce(req.key, () => deliver(services, delivery), {
    final: req.final,
    at: req.now,
    uncertain: uncertainPolicy(settings, req.channel),
    unknownOutcome,
  });
  return settled(req.channel, sent);
}

/** One message as it is handed to its provider: from a step, or released by a person. */
export interface Delivery {
  key: string;
  channel: MessageChannel;
  customerId: string | null;
  template: string | null;
  workflowId: string | null;
  to: string;
  content: Pick<Rendered, 'subject' | 'text' | 'html' | 'locale' | 'platform'> | null;
  unsubscribeUrl: string | null;
  data: Record<string, unknown> | null;
  secret: string | null;
  now: Date;
  signal: AbortSignal;
}

/**
 * Whether a provider's failure leaves it unknown if the message arrived: no answer in time, or
 * the connection lost after it was opened (an SMTP server that took the final dot keeps the mail
 * even if its 250 never comes back). A refused connection or a provider's error answer is known.
 */
export function unknownOutcome(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string; command?: string } };
  if (e.code === 'provider_timeout') return true;
  const cause = e.cause;
  return (
    !!cause && ['ETIMEDOUT', 'ESOCKET', 'ECONNRESET'].includes(cause.code ?? '') && cause.command !== 'CONN'
  );
}

/**
 * Hands a message to its provider: SMTP for email, the provider plugin TEND_SMS_PROVIDER names
 * for SMS (else signed HTTP), signed HTTP for webhooks.
 */
export async function deliver(
  services: PluginContext<MessagingSettings>,
  req: Delivery,
): Promise<{ provider: string; providerId: string | null }> {
  const { settings } = services;
  const { to, content, unsubscribeUrl } = req;
  const options = {
    key: req.key,
    timeoutMs: settings.providerTimeoutMs,
    signal: req.signal,
    now: req.now,
    allow: services.host.outboundAllow,
  };
  const messageId = messageIdOf(req.key, settings.mailFrom);
  // No provider for this message: it stays in the outbox, which is the dev mailbox.
  if (to.startsWith('devbox:')) return { provider: 'devbox', providerId: messageId };
  if (req.channel === 'email') {
    if (!settings.smtpUrl) return { provider: 'devbox', providerId: messageId };
    const id = await sendMail(settings.smtpUrl, settings.providerTimeoutMs, {
      from: fromHeader(settings.mailFrom, (await brandOf(services)).senderName),
      to,
      subject: content?.subject ?? '',
      text: content?.text ?? '',
      html: content?.html ?? '',
      messageId,
      unsubscribeUrl,
    });
    return { provider: 'smtp', providerId: id };
  }
  const payload = {
    id: req.key,
    channel: req.channel,
    customerId: req.customerId,
    template: req.template,
    locale: content?.locale ?? null,
    workflowId: req.workflowId,
    ...(req.channel === 'sms' ? { to } : {}),
    text: content?.text ?? null,
    ...(req.data ? { data: req.data } : {}),
  };
  const provider = channelProvider(services, req.channel);
  if (provider) {
    const sent = await provider.send({
      key: req.key,
      to,
      locale: content?.locale ?? null,
      text: content?.text ?? '',
      platform: content?.platform ?? null,
      now: req.now,
      signal: req.signal,
      timeoutMs: settings.providerTimeoutMs,
      outboundAllow: services.host.outboundAllow,
    });
    return { provider: provider.name, providerId: sent.providerId };
  }
  if (req.channel === 'sms') {
    if (!settings.smsUrl || !settings.smsSecret) return { provider: 'devbox', providerId: messageId };
    const id = await postSigned(settings.smsUrl, settings.smsSecret, payload, {
      ...options,
      what: 'the SMS provider URL (TEND_SMS_URL)',
    });
    return { provider: 'sms', providerId: id ?? req.key };
  }
  const secret = req.secret ?? settings.webhookSecret;
  if (!secret) {
    throw new StepError('webhook_unsigned', 'set TEND_WEBHOOK_SECRET to send webhooks to a URL', {
      kind: 'user',
      retryable: false,
    });
  }
  const id = await postSigned(to, secret, payload, { ...options, what: 'the webhook URL' });
  return { provider: 'webhook', providerId: id ?? req.key };
}

function noAddress(req: SendRequest) {
  return { reason: 'no_address', detail: `no ${req.channel} address to send to` };
}

function settled(
  channel: MessageChannel,
  r: {
    status: string;
    reason: string | null;
    detail: string | null;
    provider: string | null;
    providerId: string | null;
  },
): SendOutcome {
  if (r.status === 'sent')
    return { status: 'sent', channel, provider: r.provider ?? '', messageId: r.providerId };
  if (r.status === 'uncertain') {
    return {
      status: 'held',
      channel,
      reason: r.reason ?? 'uncertain',
      detail: r.detail ?? 'its hand-over’s outcome is unknown: it waits in the outbox for a person',
    };
  }
  if (r.status === 'failed') {
    throw new StepError(r.reason ?? 'send_failed', r.detail ?? 'the message could not be sent', {
      kind: 'engine',
      retryable: false,
    });
  }
  return { status: 'skipped', channel, reason: r.reason ?? 'skipped', detail: r.detail ?? '' };
}
