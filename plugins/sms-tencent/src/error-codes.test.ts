import { describe, expect, it } from 'vitest';
import { verdictOf } from './error-codes.ts';

describe('Tencent Cloud SMS error codes', () => {
  it('retries short frequency limits, throttling and the platform’s faults', () => {
    for (const code of [
      'LimitExceeded.PhoneNumberThirtySecondLimit',
      'LimitExceeded.DeliveryFrequencyLimit',
      'RequestLimitExceeded',
      'InternalError.Timeout',
      'InternalError.OtherError',
    ]) {
      expect(verdictOf(code), code).toEqual({ retry: true, user: false });
    }
  });
  it('fails a bad number, template or signature for good, as the journey’s fault', () => {
    for (const code of [
      'InvalidParameterValue.IncorrectPhoneNumber',
      'FailedOperation.TemplateIncorrectOrUnapproved',
      'FailedOperation.SignatureIncorrectOrUnapproved',
    ]) {
      expect(verdictOf(code), code).toEqual({ retry: false, user: true });
    }
  });
  it('fails signatures, keys, arrears and daily limits without blaming the journey', () => {
    for (const code of [
      'AuthFailure.SignatureFailure',
      'AuthFailure.SecretIdNotFound',
      'InternalError.SigVerificationFail',
      'FailedOperation.InsufficientBalanceInSmsPackage',
      'LimitExceeded.PhoneNumberDailyLimit',
    ]) {
      expect(verdictOf(code), code).toEqual({ retry: false, user: false });
    }
  });
});
