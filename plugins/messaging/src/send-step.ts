import {
  journeyScope,
  MESSAGE_CHANNELS,
  type PluginContext,
  type StepDefinition,
  sendResult,
} from '@tend/plugin-sdk';
import { checkSend } from './check-send.ts';
import { sendMessage } from './deliver.ts';
import { blockedBy, recipientOf } from './policy.ts';
import type { MessagingSettings } from './settings.ts';

export interface SendConfig {
  channel: (typeof MESSAGE_CHANNELS)[number];
  template?: string;
  url?: string;
  data?: Record<string, unknown>;
}

const RETRY = { attempts: 6, backoffSeconds: 2, timeoutSeconds: 60 };

export const sendStep: StepDefinition<SendConfig> = {
  name: 'send',
  title: { en: 'Send a message', 'zh-CN': '发送消息' },
  description: {
    en: 'Sends an email, SMS or webhook from a template, in the customer’s language. Skipped (and recorded with the reason) without consent, over the frequency cap or without an address; waits until quiet hours end.',
    'zh-CN':
      '按客户的语言用模板发送邮件、短信或 Webhook。没有授权、超过频次上限或没有地址时跳过（并记录原因）；免打扰时段内等到时段结束再发。',
  },
  awaits: [],
  configSchema: {
    type: 'object',
    properties: {
      channel: {
        type: 'string',
        title: 'Channel',
        enum: [...MESSAGE_CHANNELS],
        description:
          'Email goes through SMTP (or the dev mailbox); SMS and webhooks through HTTP providers; wecom to the customer as a WeCom external contact; wechat as a WeChat Official Account template message.',
        'x-zh-CN': {
          title: '渠道',
          description:
            '邮件经 SMTP（或开发邮箱）发送；短信和 Webhook 经 HTTP 服务商发送；wecom 发给企业微信外部联系人；wechat 以微信公众号模板消息发送。',
        },
      },
      template: {
        type: 'string',
        title: 'Template',
        description:
          'A file in workflows/templates/<channel>/, without locale and extension, e.g. "welcome".',
        'x-zh-CN': {
          title: '模板',
          description: 'workflows/templates/<渠道>/ 中的文件，不含语言和扩展名，如 "welcome"。',
        },
        pattern: '^[a-z0-9][a-z0-9-]*$',
      },
      url: {
        type: 'string',
        title: 'Webhook URL',
        description: 'Webhooks only: where to POST (default: TEND_WEBHOOK_URL).',
        'x-zh-CN': {
          title: 'Webhook 地址',
          description: '仅用于 Webhook：POST 的目标（默认：TEND_WEBHOOK_URL）。',
        },
        pattern: '^https?://',
      },
      data: {
        type: 'object',
        title: 'Extra values',
        description: 'Values the template sees as data.<name> (webhooks also receive them as JSON).',
        'x-zh-CN': {
          title: '附加值',
          description: '模板中以 data.<名称> 使用的值（Webhook 也以 JSON 收到）。',
        },
      },
    },
    required: ['channel'],
    additionalProperties: false,
    if: { properties: { channel: { enum: ['email', 'sms', 'wecom', 'wechat'] } } },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then (email and SMS need a template)
    then: { required: ['channel', 'template'] },
  },
  outputSchema: {
    type: 'object',
    properties: {
      status: { enum: ['sent', 'skipped', 'held'] },
      channel: { type: 'string' },
      reason: { type: 'string' },
      messageId: { type: ['string', 'null'] },
    },
    required: ['status'],
  },
  retry: RETRY,
  check: checkSend,
  run: async (ctx) =>
    sendResult(
      await sendMessage(ctx.services as PluginContext<MessagingSettings>, {
        key: ctx.idempotencyKey,
        channel: ctx.config.channel,
        template: ctx.config.template ?? null,
        customer: ctx.customer,
        to: ctx.config.url ?? null,
        purpose: 'journey',
        workflowId: ctx.run.workflowId,
        runId: ctx.run.id,
        limits: ctx.journey.limits,
        scope: journeyScope(ctx, ctx.config.data),
        ...(ctx.config.data ? { data: ctx.config.data } : {}),
        now: ctx.now,
        signal: ctx.signal,
        final: (error) => !(error as { retryable?: boolean }).retryable || ctx.attempt >= RETRY.attempts,
      }),
    ),
  preview: (ctx) => {
    const { channel, template, url } = ctx.config;
    const to =
      url ?? (channel === 'webhook' ? 'the webhook' : recipientOf({ channel, customer: ctx.customer }, null));
    const what = `${channel}${template ? ` "${template}"` : ''}`;
    const blocked = blockedBy({ channel, customer: ctx.customer }, to);
    if (blocked) {
      return {
        summary: `skip ${what}: ${blocked.detail}`,
        output: { status: 'skipped', channel, reason: blocked.reason },
      };
    }
    return {
      summary: `send ${what} to ${mask(to ?? '')}`,
      output: { status: 'sent', channel, messageId: null },
    };
  },
};

/** a***@example.com, +86******8000: enough to recognise, not to copy. */
function mask(address: string): string {
  const at = address.indexOf('@');
  if (at > 0) return `${address[0]}***${address.slice(at)}`;
  return address.length > 6 ? `${address.slice(0, 3)}******${address.slice(-4)}` : address;
}
