/**
 * What a Tencent Cloud SMS error code means for the message (SMS "错误码",
 * cloud.tencent.com/document/api/382/52075, and the API 3.0 common errors): `retry` when sending
 * again soon can succeed (the short frequency limits, request throttling, the platform's own
 * faults), `fail` when it cannot (a bad number, template, signature or parameter; the account or
 * its keys; daily limits, which last past the step's retries). `user` marks what the journey or
 * its template got wrong, as opposed to the installation's account.
 */
export type Verdict = { retry: boolean; user: boolean };

/** Limits that pass within the step's retries; the daily ones (`…DailyLimit`) do not. */
const SHORT_LIMITS = new Set([
  'LimitExceeded.DeliveryFrequencyLimit',
  'LimitExceeded.PhoneNumberThirtySecondLimit',
  'LimitExceeded.PhoneNumberOneHourLimit',
]);

/** InternalError codes that are the request's fault (signing, a clock off), not a passing fault. */
const INTERNAL_FAILS = new Set([
  'InternalError.SigVerificationFail',
  'InternalError.SigFieldMissing',
  'InternalError.RestApiInterfaceNotExist',
  'InternalError.RequestTimeException',
  'InternalError.ParseBackendResponseFail',
]);

export function verdictOf(code: string): Verdict {
  if (SHORT_LIMITS.has(code) || code === 'RequestLimitExceeded' || code.startsWith('RequestLimitExceeded.')) {
    return { retry: true, user: false };
  }
  if (code === 'InternalError' || code === 'ServiceUnavailable' || code.startsWith('InternalError.')) {
    return { retry: !INTERNAL_FAILS.has(code), user: false };
  }
  if (code.startsWith('LimitExceeded.')) return { retry: false, user: false };
  if (
    code.startsWith('InvalidParameterValue.') ||
    code.startsWith('InvalidParameter') ||
    code.startsWith('MissingParameter') ||
    code === 'FailedOperation.TemplateIncorrectOrUnapproved' ||
    code === 'FailedOperation.SignatureIncorrectOrUnapproved' ||
    code === 'FailedOperation.ContainSensitiveWord' ||
    code === 'FailedOperation.PhoneNumberInBlacklist' ||
    code === 'FailedOperation.TemplateParamSetNotMatchApprovedTemplate' ||
    code === 'FailedOperation.MissingTemplateToModify' ||
    code.startsWith('UnsupportedOperation.')
  ) {
    return { retry: false, user: true };
  }
  // FailedOperation.* (the account: arrears, an unapproved app…), AuthFailure.*,
  // UnauthorizedOperation.* and anything unknown: not retried.
  return { retry: false, user: false };
}
