import { describe, expect, it } from 'vitest';
import { verdictOf } from './error-codes.ts';

describe('Alibaba Cloud SMS error codes', () => {
  it('retries throttling and the platform’s faults', () => {
    for (const code of [
      'isv.BUSINESS_LIMIT_CONTROL',
      'Throttling.User',
      'isp.SYSTEM_ERROR',
      'ServiceUnavailable',
    ]) {
      expect(verdictOf(code, 200), code).toEqual({ retry: true, user: false });
    }
  });
  it('fails a bad number, template or signature for good, as the journey’s fault', () => {
    for (const code of [
      'isv.MOBILE_NUMBER_ILLEGAL',
      'isv.SMS_TEMPLATE_ILLEGAL',
      'isv.SMS_SIGNATURE_ILLEGAL',
    ]) {
      expect(verdictOf(code, 200), code).toEqual({ retry: false, user: true });
    }
  });
  it('fails account problems and quotas without blaming the journey', () => {
    for (const code of [
      'SignatureDoesNotMatch',
      'InvalidAccessKeyId.NotFound',
      'isv.DAY_LIMIT_CONTROL',
      'isv.OUT_OF_SERVICE',
    ]) {
      expect(verdictOf(code, 400), code).toEqual({ retry: false, user: false });
    }
    expect(verdictOf('Something.New', 503)).toEqual({ retry: true, user: false });
  });
});
