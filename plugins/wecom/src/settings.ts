import { type JsonSchema, SENDING_LIMIT_PATTERN } from '@tend/plugin-sdk';

export interface WecomSettings {
  corpId?: string;
  corpSecret?: string;
  sender?: string;
  apiBase: string;
  limits: string[];
}

export const settingsSchema: JsonSchema = {
  type: 'object',
  properties: {
    corpId: { type: 'string', minLength: 1, title: 'CorpID (企业ID)' },
    corpSecret: {
      type: 'string',
      minLength: 1,
      title: 'Secret',
      description: 'The secret of the customer contact (客户联系) application',
    },
    sender: {
      type: 'string',
      minLength: 1,
      title: 'Sender',
      description: 'The staff member’s userid who sends the tasks; unset: the contact’s last chatting member',
    },
    apiBase: {
      type: 'string',
      pattern: '^https?://',
      default: 'https://qyapi.weixin.qq.com',
      title: 'API base',
      description: 'Where the WeCom server API is (or a test peer)',
    },
    limits: {
      type: 'array',
      items: { type: 'string', pattern: SENDING_LIMIT_PATTERN },
      // WeCom lets each customer receive at most as many mass-send messages a month as the month
      // has days (developer.work.weixin.qq.com/document/path/92135): 28 in any 31 days keeps
      // within every calendar month.
      default: ['28/31d'],
      title: 'Sending limits per contact',
      description: 'messages/duration, /template to count one template only; comma-separated',
    },
  },
  dependencies: { corpId: ['corpSecret'], corpSecret: ['corpId'] },
  additionalProperties: false,
};
