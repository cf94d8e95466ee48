import { defineTexts } from './define-texts.ts';

/** The names of the message and consent channels (@tend/plugin-sdk/channels), wherever one is shown. */
export const channelsTexts = defineTexts({
  en: {
    'channel.email': 'Email',
    'channel.sms': 'SMS',
    'channel.webhook': 'Webhook',
    'channel.wecom': 'WeCom',
    'channel.wechat': 'WeChat',
    'channel.push': 'Push',
  },
  'zh-CN': {
    'channel.email': '邮件',
    'channel.sms': '短信',
    'channel.webhook': 'Webhook 回调',
    'channel.wecom': '企业微信',
    'channel.wechat': '微信公众号',
    'channel.push': '推送',
  },
});
