import { type JsonSchema, SENDING_LIMIT_PATTERN } from '@tend/plugin-sdk';

export interface WechatSettings {
  appId?: string;
  appSecret?: string;
  kind: 'template' | 'subscribe';
  apiBase: string;
  limits: string[];
}

export const settingsSchema: JsonSchema = {
  type: 'object',
  properties: {
    appId: { type: 'string', minLength: 1, title: 'AppID' },
    appSecret: { type: 'string', minLength: 1, title: 'AppSecret' },
    kind: {
      type: 'string',
      enum: ['template', 'subscribe'],
      default: 'template',
      title: 'Message kind',
      description: 'template: 模板消息; subscribe: 订阅通知 (the follower subscribed to the template)',
    },
    apiBase: {
      type: 'string',
      pattern: '^https?://',
      default: 'https://api.weixin.qq.com',
      title: 'API base',
      description: 'Where the WeChat API is (or a test peer)',
    },
    limits: {
      type: 'array',
      items: { type: 'string', pattern: SENDING_LIMIT_PATTERN },
      // WeChat documents no per-follower limit for these messages (its quotas are per account and
      // day): none unless set.
      default: [],
      title: 'Sending limits per follower',
      description: 'messages/duration, /template to count one template only; comma-separated',
    },
  },
  dependencies: { appId: ['appSecret'], appSecret: ['appId'] },
  additionalProperties: false,
};
