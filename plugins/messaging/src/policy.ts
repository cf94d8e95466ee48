import type { SendRequest, StepCustomer } from '@tend/plugin-sdk';

/**
 * Where a message goes: the customer's email or phone, a given address, or for webhooks the
 * step's URL or TEND_WEBHOOK_URL; `devbox:` when a webhook has no URL (it is kept in the outbox).
 * Other channels (served by a provider plugin: `wecom`) read the customer's `attributes.<channel>`
 * (for WeCom, the external contact's `external_userid`).
 */
export function recipientOf(
  req: Pick<SendRequest, 'channel' | 'customer' | 'to'>,
  webhookUrl: string | null,
): string | null {
  if (req.to) return req.to;
  if (req.channel === 'webhook') return webhookUrl ?? 'devbox:';
  const value =
    req.channel === 'email' || req.channel === 'sms'
      ? req.customer?.[req.channel === 'email' ? 'email' : 'phone']
      : (req.customer?.attributes as Record<string, unknown> | undefined)?.[req.channel];
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** Why a journey message must not go out (no address, no consent), or null. */
export function blockedBy(
  req: Pick<SendRequest, 'channel' | 'customer'>,
  to: string | null,
): { reason: string; detail: string } | null {
  if (!to)
    return {
      reason: 'no_address',
      detail: `the customer has no ${addressName(req.channel)}`,
    };
  const consent = consentOf(req.customer, req.channel);
  if (consent.status === 'granted') return null;
  return consent.status === 'withdrawn'
    ? {
        reason: 'consent_withdrawn',
        detail: `${req.channel} consent withdrawn (${consent.source}, ${consent.at})`,
      }
    : { reason: 'no_consent', detail: `the customer never consented to ${req.channel}` };
}

function consentOf(customer: StepCustomer | null, channel: string) {
  const record = customer?.consent?.[channel];
  return record ?? { status: 'none' as const, source: '', at: '' };
}

function addressName(channel: string): string {
  return channel === 'email' ? 'email' : channel === 'sms' ? 'phone' : `attributes.${channel}`;
}
