import {
  definePlugin,
  localProviderProblem,
  messagingProvider,
  type PluginContext,
  parseSendingLimit,
} from '@tend/plugin-sdk';
import { sendAliyunSms } from './send-sms.ts';
import { type AliyunSettings, settingsSchema } from './settings.ts';

/**
 * SMS through Alibaba Cloud SMS (阿里云短信服务): approved templates with their signature and
 * parameters, signed requests, error codes read as retry or fail, and the platform's per-number
 * limits as frequency caps. Used with TEND_SMS_PROVIDER=aliyun.
 */
export default definePlugin<AliyunSettings>({
  name: 'sms-aliyun',
  version: '1.0.0',
  title: { en: 'Alibaba Cloud SMS', 'zh-CN': '阿里云短信' },
  description: {
    en: 'Sends SMS through Alibaba Cloud SMS with approved templates and signatures (TEND_SMS_PROVIDER=aliyun).',
    'zh-CN': '通过阿里云短信服务发送已审核的模板短信和签名（TEND_SMS_PROVIDER=aliyun）。',
  },
  steps: [],
  settings: settingsSchema,
  // An endpoint on this machine or the local network is refused message after message: said at start.
  checkSettings: (settings, host) =>
    [localProviderProblem('TEND_SMS_ALIYUN_ENDPOINT', settings.endpoint, host.outboundAllow)].filter(
      (p): p is string => p !== null,
    ),
  provides: messagingProvider('sms', 'aliyun', (ctx: PluginContext<AliyunSettings>) => ({
    channel: 'sms',
    name: 'aliyun',
    limits: ctx.settings.limits.map(parseSendingLimit),
    problem: () =>
      ctx.settings.accessKeyId
        ? null
        : 'set TEND_SMS_ALIYUN_ACCESS_KEY_ID and TEND_SMS_ALIYUN_ACCESS_KEY_SECRET',
    send: (message) => sendAliyunSms(ctx.settings, message),
  })),
});
