import type { JsonSchema, MessageChannel, UncertainPolicy } from '@tend/plugin-sdk';

/** Where messages go: SMTP for email, signed HTTP for SMS and webhooks; the dev mailbox without. */
export interface MessagingSettings {
  smtpUrl?: string;
  mailFrom: string;
  /** `http` (TEND_SMS_URL, or the dev mailbox) or a provider plugin's name (`aliyun`, `tencent`). */
  smsProvider: string;
  smsUrl?: string;
  smsSecret?: string;
  webhookUrl?: string;
  webhookSecret?: string;
  providerTimeoutMs: number;
  emailUncertain: UncertainPolicy;
  smsUncertain: UncertainPolicy;
  webhookUncertain: UncertainPolicy;
  wecomUncertain: UncertainPolicy;
  wechatUncertain: UncertainPolicy;
}

/** The channel's policy for a send whose outcome is unknown (README, "Delivery guarantees"). */
export function uncertainPolicy(settings: MessagingSettings, channel: MessageChannel): UncertainPolicy {
  return channel === 'email'
    ? settings.emailUncertain
    : channel === 'sms'
      ? settings.smsUncertain
      : channel === 'wecom'
        ? settings.wecomUncertain
        : channel === 'wechat'
          ? settings.wechatUncertain
          : settings.webhookUncertain;
}

const uncertain = (env: string, what: string): JsonSchema => ({
  type: 'string',
  enum: ['resend', 'hold'],
  default: 'resend',
  env,
  title: `${what}: a send whose outcome is unknown`,
  description:
    'resend: at least once (again with the same id, receivers can drop the copy); hold: at most once (it waits in the outbox for a person)',
});

export const settingsSchema: JsonSchema = {
  type: 'object',
  properties: {
    smtpUrl: {
      type: 'string',
      env: 'SMTP_URL',
      pattern: '^smtps?://',
      title: 'SMTP server',
      description: 'smtp:// or smtps:// URL; unset: mail goes to the dev mailbox',
    },
    mailFrom: {
      type: 'string',
      env: 'TEND_MAIL_FROM',
      default: 'Tend <no-reply@tend.localhost>',
      title: 'Sender',
    },
    smsProvider: {
      type: 'string',
      env: 'TEND_SMS_PROVIDER',
      pattern: '^[a-z][a-z0-9-]*$',
      default: 'http',
      title: 'SMS provider',
      description:
        'http: signed JSON POSTs to TEND_SMS_URL (unset: the dev mailbox); aliyun, tencent: the provider plugin of that name',
    },
    smsUrl: {
      type: 'string',
      env: 'TEND_SMS_URL',
      pattern: '^https?://',
      title: 'SMS provider',
      description: 'Signed JSON POSTs; unset: SMS go to the dev mailbox',
    },
    smsSecret: { type: 'string', env: 'TEND_SMS_SECRET', minLength: 16, title: 'SMS signing key' },
    webhookUrl: {
      type: 'string',
      env: 'TEND_WEBHOOK_URL',
      pattern: '^https?://',
      title: 'Default webhook',
    },
    webhookSecret: {
      type: 'string',
      env: 'TEND_WEBHOOK_SECRET',
      minLength: 16,
      title: 'Webhook signing key',
    },
    providerTimeoutMs: {
      type: 'integer',
      env: 'TEND_PROVIDER_TIMEOUT_MS',
      minimum: 100,
      maximum: 120_000,
      default: 10_000,
      title: 'Provider timeout (ms)',
    },
    emailUncertain: uncertain('TEND_EMAIL_UNCERTAIN', 'Email'),
    smsUncertain: uncertain('TEND_SMS_UNCERTAIN', 'SMS'),
    webhookUncertain: uncertain('TEND_WEBHOOK_UNCERTAIN', 'Webhooks'),
    wecomUncertain: uncertain('TEND_WECOM_UNCERTAIN', 'WeCom'),
    wechatUncertain: uncertain('TEND_WECHAT_UNCERTAIN', 'WeChat'),
  },
  dependencies: { smsUrl: ['smsSecret'], webhookUrl: ['webhookSecret'] },
  additionalProperties: false,
};
