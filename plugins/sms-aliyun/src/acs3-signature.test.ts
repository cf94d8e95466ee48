import { describe, expect, it } from 'vitest';
import { acs3Sign, canonicalQuery, percentEncode, sha256Hex } from './acs3-signature.ts';

describe('ACS3-HMAC-SHA256', () => {
  // The worked example of Alibaba Cloud's "V3 request structure and signature" (ECS RunInstances).
  it('signs the documentation’s example exactly', () => {
    const signed = acs3Sign({
      method: 'POST',
      path: '/',
      query: { ImageId: 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd', RegionId: 'cn-shanghai' },
      headers: {
        host: 'ecs.cn-shanghai.aliyuncs.com',
        'x-acs-action': 'RunInstances',
        'x-acs-version': '2014-05-26',
        'x-acs-date': '2023-10-26T10:22:32Z',
        'x-acs-signature-nonce': '3156853299f313e23d1673dc12e1703d',
        'x-acs-content-sha256': sha256Hex(''),
      },
      accessKeyId: 'YourAccessKeyId',
      accessKeySecret: 'YourAccessKeySecret',
    });
    expect(sha256Hex(signed.canonicalRequest)).toBe(
      '7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259',
    );
    expect(signed.authorization).toBe(
      'ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0',
    );
  });

  it('percent-encodes as RFC 3986 wants, Chinese signatures and JSON parameters included', () => {
    expect(percentEncode(" a!*'()~+/")).toBe('%20a%21%2A%27%28%29~%2B%2F');
    expect(
      canonicalQuery({ TemplateParam: '{"code":"12 34"}', SignName: '阿里云', PhoneNumbers: '13800138000' }),
    ).toBe(
      'PhoneNumbers=13800138000&SignName=%E9%98%BF%E9%87%8C%E4%BA%91&TemplateParam=%7B%22code%22%3A%2212%2034%22%7D',
    );
  });
});
