import { describe, expect, it } from 'vitest';
import { sha256Hex, tc3Sign } from './tc3-signature.ts';

describe('TC3-HMAC-SHA256', () => {
  // The worked example of Tencent Cloud's "签名方法 v3" (CVM DescribeInstances at 1551113065); the
  // page prints its keys as asterisks and signs with them as printed.
  it('signs the documentation’s example exactly', () => {
    const payload =
      '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}';
    expect(sha256Hex(payload)).toBe('35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064');
    const signed = tc3Sign({
      service: 'cvm',
      host: 'cvm.tencentcloudapi.com',
      action: 'DescribeInstances',
      payload,
      timestamp: 1551113065,
      secretId: `AKID${'*'.repeat(32)}`,
      secretKey: '*'.repeat(32),
    });
    expect(signed.stringToSign).toBe(
      'TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84',
    );
    expect(signed.authorization).toBe(
      `TC3-HMAC-SHA256 Credential=AKID${'*'.repeat(32)}/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f`,
    );
  });
});
