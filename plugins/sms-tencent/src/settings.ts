import { type JsonSchema, SENDING_LIMIT_PATTERN } from '@tend/plugin-sdk';

export interface TencentSettings {
  secretId?: string;
  secretKey?: string;
  sdkAppId?: string;
  region: string;
  endpoint: string;
  signName?: string;
  limits: string[];
}

export const settingsSchema: JsonSchema = {
  type: 'object',
  properties: {
    secretId: { type: 'string', minLength: 1, title: 'SecretId' },
    secretKey: { type: 'string', minLength: 1, title: 'SecretKey' },
    sdkAppId: {
      type: 'string',
      pattern: '^[0-9]+$',
      title: 'SmsSdkAppId',
      description: 'The SMS application’s id (console: Application Management)',
    },
    region: { type: 'string', default: 'ap-guangzhou', title: 'Region (X-TC-Region)' },
    endpoint: {
      type: 'string',
      pattern: '^https?://',
      default: 'https://sms.tencentcloudapi.com',
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
      // Tencent Cloud SMS's default frequency limits: one message of the same content to a number
      // per 30 seconds, ten to a number per calendar day (tencentcloud.com/document/product/382/13303).
      default: ['1/30s/template', '10/1d'],
      title: 'Sending limits per number',
      description: 'messages/duration, /template to count one template only; comma-separated',
    },
  },
  dependencies: { secretId: ['secretKey', 'sdkAppId'], secretKey: ['secretId'] },
  additionalProperties: false,
};
