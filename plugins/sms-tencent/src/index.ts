import {
  definePlugin,
  localProviderProblem,
  messagingProvider,
  type PluginContext,
  parseSendingLimit,
} from '@tend/plugin-sdk';
import { sendTencentSms } from './send-sms.ts';
import { settingsSchema, type TencentSettings } from './settings.ts';

/**
 * SMS through Tencent Cloud SMS (腾讯云短信): approved templates with their signature and
 * parameters, signed requests, error codes read as retry or fail, and the platform's per-number
 * limits as frequency caps. Used with TEND_SMS_PROVIDER=tencent.
 */
export default definePlugin<TencentSettings>({
  name: 'sms-tencent',
  version: '1.0.0',
  title: { en: 'Tencent Cloud SMS', 'zh-CN': '腾讯云短信' },
  description: {
    en: 'Sends SMS through Tencent Cloud SMS with approved templates and signatures (TEND_SMS_PROVIDER=tencent).',
    'zh-CN': '通过腾讯云短信发送已审核的模板短信和签名（TEND_SMS_PROVIDER=tencent）。',
  },
  steps: [],
  settings: settingsSchema,
  // An endpoint on this machine or the local network is refused message after message: said at start.
  checkSettings: (settings, host) =>
    [localProviderProblem('TEND_SMS_TENCENT_ENDPOINT', settings.endpoint, host.outboundAllow)].filter(
      (p): p is string => p !== null,
    ),
  provides: messagingProvider('sms', 'tencent', (ctx: PluginContext<TencentSettings>) => ({
    channel: 'sms',
    name: 'tencent',
    limits: ctx.settings.limits.map(parseSendingLimit),
    problem: () =>
      ctx.settings.secretId
        ? null
        : 'set TEND_SMS_TENCENT_SECRET_ID, TEND_SMS_TENCENT_SECRET_KEY and TEND_SMS_TENCENT_SDK_APP_ID',
    send: (message) => sendTencentSms(ctx.settings, message),
  })),
});
