import { type JsonSchema, SENDING_LIMIT_PATTERN } from '@tend/plugin-sdk';

export interface AliyunSettings {
  accessKeyId?: string;
  accessKeySecret?: string;
  endpoint: string;
  signName?: string;
  limits: string[];
}

export const settingsSchema: JsonSchema = {
  type: 'object',
  properties: {
    accessKeyId: { type: 'string', minLength: 1, title: 'AccessKey ID' },
    accessKeySecret: { type: 'string', minLength: 1, title: 'AccessKey secret' },
    endpoint: {
      type: 'string',
      pattern: '^https?://',
      default: 'https://dysmsapi.aliyuncs.com',
      title: 'Endpoint',
      description: 'The SMS API endpoint (a regional one, or a test peer)',
    },
    signName: {
      type: 'string',
      minLength: 1,
      title: 'Default signature (签名)',
      description: 'For templates whose front matter names no signName',
    },
    limits: {
      type: 'array',
      items: { type: 'string', pattern: SENDING_LIMIT_PATTERN },
      // Alibaba Cloud's default flow control for notifications: 50 a day to one number with one
      // signature and template (help.aliyun.com/document_detail/108293.html).
      default: ['50/1d/template'],
      title: 'Sending limits per number',
      description: 'messages/duration, /template to count one template only; comma-separated',
    },
  },
  dependencies: { accessKeyId: ['accessKeySecret'], accessKeySecret: ['accessKeyId'] },
  additionalProperties: false,
};
