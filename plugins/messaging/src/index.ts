import {
  definePlugin,
  Hono,
  localProviderProblem,
  type MessagingService,
  type PluginContext,
  type PluginEnv,
} from '@tend/plugin-sdk';
import { brandApi } from './brand-routes.ts';
import { MIGRATIONS } from './brand-store.ts';
import { FEEDBACK, messageCallbacks } from './callbacks.ts';
import { smsProviderProblem } from './channel-provider.ts';
import { sendMessage } from './deliver.ts';
import { heldMessages } from './held-messages.ts';
import { renderPreview } from './render-preview.ts';
import { brandDocs, messagingPageDocs, outboxDocs } from './route-docs.ts';
import { sendStep } from './send-step.ts';
import { type MessagingSettings, settingsSchema } from './settings.ts';
import { templateFiles } from './template-files.ts';
import { unsubscribePages } from './unsubscribe.ts';

const FEEDBACK_TITLES: Record<(typeof FEEDBACK)[number], { en: string; 'zh-CN': string }> = {
  delivered: { en: 'Message delivered', 'zh-CN': '消息已送达' },
  bounced: { en: 'Message bounced', 'zh-CN': '消息被退回' },
  opened: { en: 'Message opened', 'zh-CN': '消息已打开' },
  clicked: { en: 'Link in a message clicked', 'zh-CN': '消息中的链接被点击' },
  complained: { en: 'Message marked as spam', 'zh-CN': '消息被标记为垃圾邮件' },
};

/**
 * Messaging: email, SMS and webhooks from Liquid/MJML templates, with consent, one-click
 * unsubscribe, quiet hours, frequency caps and an outbox that records every send and skip.
 */
export default definePlugin<MessagingSettings>({
  name: 'messaging',
  version: '2.0.0',
  title: { en: 'Messaging', 'zh-CN': '消息' },
  description: {
    en: 'Email, SMS and webhooks from templates, respecting consent, quiet hours and frequency caps.',
    'zh-CN': '用模板发送邮件、短信和 Webhook，遵守授权、免打扰时段和频次上限。',
  },
  steps: [sendStep],
  settings: settingsSchema,
  migrations: MIGRATIONS,
  checkSettings: (settings, host) =>
    [
      smsProviderProblem(settings.smsProvider, host.services),
      settings.smsUrl && localProviderProblem('TEND_SMS_URL', settings.smsUrl, host.outboundAllow),
      settings.webhookUrl &&
        localProviderProblem('TEND_WEBHOOK_URL', settings.webhookUrl, host.outboundAllow),
    ].filter((p): p is string => typeof p === 'string'),
  files: [templateFiles],
  events: FEEDBACK.map((kind) => ({
    type: `message.${kind}`,
    title: FEEDBACK_TITLES[kind],
    description: {
      en: `A provider reported that a message was ${kind}`,
      'zh-CN': `服务商回报：${FEEDBACK_TITLES[kind]['zh-CN']}`,
    },
    dataSchema: {
      type: 'object',
      properties: {
        messageId: { type: ['string', 'null'] },
        channel: { type: 'string' },
        template: { type: ['string', 'null'] },
        workflow: { type: ['string', 'null'] },
        provider: { type: 'string' },
        url: { type: 'string' },
        reason: { type: 'string' },
      },
    },
  })),
  routes: {
    api: [
      {
        prefix: 'outbox',
        app: (ctx: PluginContext<MessagingSettings>) =>
          new Hono<PluginEnv>().route('/', heldMessages(ctx)).route('/', renderPreview(ctx)),
        openapi: outboxDocs,
      },
      { prefix: 'brand', app: brandApi, openapi: brandDocs },
    ],
    public: {
      paths: ['/u', '/api/messages/callbacks'],
      countRefusedOnly: ['/api/messages/callbacks'],
      app: (ctx: PluginContext<MessagingSettings>) =>
        new Hono<PluginEnv>().route('/', unsubscribePages(ctx)).route('/', messageCallbacks(ctx)),
      openapi: messagingPageDocs,
    },
  },
  provides: {
    messaging: (ctx: PluginContext<MessagingSettings>): MessagingService => ({
      send: (request) => sendMessage(ctx, request),
    }),
  },
});
