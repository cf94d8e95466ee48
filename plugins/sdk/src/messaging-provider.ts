import type { MessageChannel } from './services.ts';

/**
 * A messaging provider (an SMS gateway, a chat platform): a plugin that hands messages of one
 * channel to one platform. The messaging plugin keeps the outbox, consent, quiet hours and caps,
 * and calls the provider the installation chose (`TEND_SMS_PROVIDER=aliyun`) for the hand-over.
 * A provider plugin offers it as a service: `provides: messagingProvider(channel, name, make)`.
 */
export interface MessagingProvider {
  channel: MessageChannel;
  /** What the outbox records as the message's provider, e.g. `aliyun`. */
  name: string;
  /**
   * The platform's own sending limits to one recipient, applied as frequency caps before the
   * send (a message over one is skipped with reason `provider_limit`, not refused by the platform).
   */
  limits: SendingLimit[];
  /** Why the provider cannot send as configured (credentials missing), or null. */
  problem(): string | null;
  /**
   * Hands one message over. Returns the platform's id for it; throws a StepError whose
   * `retryable` follows the platform's error code (throttling, its own outages: retried; a bad
   * number, template or signature: not).
   */
  send(message: ProviderMessage): Promise<{ providerId: string | null }>;
}

/** At most `messages` to one recipient in any window of `per`; with `sameTemplate`, of one template. */
export interface SendingLimit {
  messages: number;
  /** A duration (`30s`, `1h`, `1d`). */
  per: string;
  sameTemplate?: boolean;
}

/**
 * A platform template as a template file's front matter names it: SMS platforms in China send
 * only approved templates (a code, a signature, parameters), never free text.
 */
export interface PlatformTemplate {
  templateCode: string;
  /** The approved signature (签名); unset: the provider's default. */
  signName?: string;
  /** The template's parameters in order, rendered. */
  params: Record<string, string>;
}

/** One rendered message as the messaging plugin hands it to a provider. */
export interface ProviderMessage {
  /** The idempotency key: one message per key. */
  key: string;
  /** The recipient's address on the platform (a phone number in E.164 for SMS). */
  to: string;
  locale: string | null;
  /** The rendered text (what the dev mailbox and the outbox show). */
  text: string;
  /** The platform template, when the template file names one. */
  platform: PlatformTemplate | null;
  /** The engine's now: signatures carry it. */
  now: Date;
  signal: AbortSignal;
  /** How long to wait for the platform's answer. */
  timeoutMs: number;
  /** TEND_OUTBOUND_ALLOW, for `checkOutboundUrl`. */
  outboundAllow: readonly string[];
}

/** The service name under which a provider of a channel is offered (`messaging-provider.sms.aliyun`). */
export function providerService(channel: MessageChannel, name: string): string {
  return `messaging-provider.${channel}.${name}`;
}

/** A plugin's `provides` entry for a messaging provider. */
export function messagingProvider<Ctx>(
  channel: MessageChannel,
  name: string,
  make: (ctx: Ctx) => MessagingProvider,
): Record<string, (ctx: Ctx) => MessagingProvider> {
  return { [providerService(channel, name)]: make };
}

/** A sending limit as settings write it: `<messages>/<duration>`, `/template` for one template's. */
export const SENDING_LIMIT_PATTERN = '^[1-9][0-9]*/[1-9][0-9]*[smhd](/template)?$';

/** Reads `50/1d/template` as 50 per day of one template (settings checked it against the pattern). */
export function parseSendingLimit(text: string): SendingLimit {
  const [messages = '', per = '', scope] = text.trim().split('/');
  return { messages: Number(messages), per, ...(scope === 'template' ? { sameTemplate: true } : {}) };
}
