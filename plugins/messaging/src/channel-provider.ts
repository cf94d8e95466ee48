import {
  type ChannelCap,
  durationMs,
  type MessageChannel,
  type MessagingProvider,
  type PluginContext,
  providerService,
  StepError,
} from '@tend/plugin-sdk';
import type { MessagingSettings } from './settings.ts';

/**
 * The provider plugin a channel's messages go to, or null where the messaging plugin sends itself
 * (email over SMTP, webhooks, SMS with `TEND_SMS_PROVIDER=http`). SMS goes to the provider
 * TEND_SMS_PROVIDER names; another channel (`wecom`) to the provider of its own name. A provider
 * that is not installed, or not configured, fails the message without retry: sending again
 * would not help.
 */
export function channelProvider(
  services: PluginContext<MessagingSettings>,
  channel: MessageChannel,
): MessagingProvider | null {
  if (channel === 'email' || channel === 'webhook') return null;
  if (channel === 'sms' && services.settings.smsProvider === 'http') return null;
  const name = channel === 'sms' ? services.settings.smsProvider : channel;
  let provider: MessagingProvider;
  try {
    provider = services.use<MessagingProvider>(providerService(channel, name));
  } catch {
    throw new StepError(
      'no_provider',
      `${channel === 'sms' ? `TEND_SMS_PROVIDER=${name}, but n` : 'N'}o installed plugin provides ${providerService(channel, name)}`,
      { kind: 'user', retryable: false },
    );
  }
  const problem = provider.problem();
  if (problem) {
    throw new StepError('provider_not_configured', `${name}: ${problem}`, { kind: 'user', retryable: false });
  }
  return provider;
}

/** A provider's sending limits as the outbox counts them for a message of `template` at `now`. */
export function channelCaps(provider: MessagingProvider, template: string | null, now: Date): ChannelCap[] {
  return provider.limits.map((limit) => ({
    max: limit.messages,
    since: new Date(now.getTime() - durationMs(limit.per)),
    template: limit.sameTemplate ? template : null,
    label: `${provider.name}: ${limit.messages} per ${limit.per}${limit.sameTemplate ? ' of one template' : ''}`,
  }));
}

/** Why TEND_SMS_PROVIDER cannot be used (no installed plugin provides it), or null: said at start. */
export function smsProviderProblem(name: string, services: readonly string[]): string | null {
  if (name === 'http' || services.includes(providerService('sms', name))) return null;
  const prefix = providerService('sms', '');
  const known = services.filter((s) => s.startsWith(prefix)).map((s) => s.slice(prefix.length));
  return `TEND_SMS_PROVIDER=${name}: no installed plugin provides SMS by that name (http${known.map((k) => `, ${k}`).join('')})`;
}
