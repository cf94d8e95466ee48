import {
  definePlugin,
  localProviderProblem,
  messagingProvider,
  type PluginContext,
  parseSendingLimit,
} from '@tend/plugin-sdk';
import { wechatToken } from './access-token.ts';
import { sendWechatMessage } from './send-message.ts';
import { settingsSchema, type WechatSettings } from './settings.ts';

/**
 * WeChat Official Account (微信公众号): template or subscribe messages to followers, with the
 * account's access token flow and its error codes read as retry or fail. The `wechat` channel
 * of messaging.send.
 */
export default definePlugin<WechatSettings>({
  name: 'wechat-oa',
  version: '1.0.0',
  title: { en: 'WeChat Official Account', 'zh-CN': '微信公众号' },
  description: {
    en: 'Sends template or subscribe messages to followers of a WeChat Official Account (channel: wechat).',
    'zh-CN': '向微信公众号的关注者发送模板消息或订阅通知（渠道：wechat）。',
  },
  steps: [],
  settings: settingsSchema,
  // An endpoint on this machine or the local network is refused message after message: said at start.
  checkSettings: (settings, host) =>
    [localProviderProblem('TEND_WECHAT_OA_API_BASE', settings.apiBase, host.outboundAllow)].filter(
      (p): p is string => p !== null,
    ),
  provides: messagingProvider('wechat', 'wechat', (ctx: PluginContext<WechatSettings>) => {
    const tokens = wechatToken(ctx.settings);
    return {
      channel: 'wechat',
      name: 'wechat',
      limits: ctx.settings.limits.map(parseSendingLimit),
      problem: () => (ctx.settings.appId ? null : 'set TEND_WECHAT_OA_APP_ID and TEND_WECHAT_OA_APP_SECRET'),
      send: (message) => sendWechatMessage(ctx.settings, tokens, message),
    };
  }),
});
