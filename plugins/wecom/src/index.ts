import {
  definePlugin,
  localProviderProblem,
  messagingProvider,
  type PluginContext,
  parseSendingLimit,
} from '@tend/plugin-sdk';
import { wecomToken } from './access-token.ts';
import { sendWecomMessage } from './send-message.ts';
import { settingsSchema, type WecomSettings } from './settings.ts';

/**
 * WeCom (企业微信): messages to customers who are external contacts, as mass-send tasks a staff
 * member confirms, with WeCom's access token flow, its error codes read as retry or fail, and
 * its per-contact monthly limit as a frequency cap. The `wecom` channel of messaging.send.
 */
export default definePlugin<WecomSettings>({
  name: 'wecom',
  version: '1.0.0',
  title: { en: 'WeCom', 'zh-CN': '企业微信' },
  description: {
    en: 'Sends messages to WeCom external contacts (channel: wecom); staff confirm each task in WeCom.',
    'zh-CN': '向企业微信外部联系人发送消息（渠道：wecom），由成员在企业微信中确认发送。',
  },
  steps: [],
  settings: settingsSchema,
  // An endpoint on this machine or the local network is refused message after message: said at start.
  checkSettings: (settings, host) =>
    [localProviderProblem('TEND_WECOM_API_BASE', settings.apiBase, host.outboundAllow)].filter(
      (p): p is string => p !== null,
    ),
  provides: messagingProvider('wecom', 'wecom', (ctx: PluginContext<WecomSettings>) => {
    const tokens = wecomToken(ctx.settings);
    return {
      channel: 'wecom',
      name: 'wecom',
      limits: ctx.settings.limits.map(parseSendingLimit),
      problem: () => (ctx.settings.corpId ? null : 'set TEND_WECOM_CORP_ID and TEND_WECOM_CORP_SECRET'),
      send: (message) => sendWecomMessage(ctx.settings, tokens, message),
    };
  }),
});
