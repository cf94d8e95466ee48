/**
 * What a SendSms error code means for the message (Alibaba Cloud SMS "API错误码",
 * help.aliyun.com/document_detail/101346.html, and the OpenAPI common errors): `retry` when
 * sending again soon can succeed (throttling, the platform's own faults), `fail` when it cannot
 * (a bad number, template, signature or parameter; the account or its keys; a daily or monthly
 * quota that lasts past the step's retries). `user` marks what the journey or its template got
 * wrong, as opposed to the installation's account.
 */
export type Verdict = { retry: boolean; user: boolean };

const RETRY = new Set([
  // Per-number flow control (1 per minute, 5 per hour for codes): a later attempt may pass.
  'isv.BUSINESS_LIMIT_CONTROL',
  'isp.SYSTEM_ERROR',
  'isp.GATEWAY_ERROR',
  'Throttling',
  'Throttling.User',
  'Throttling.Api',
  'ServiceUnavailable',
  'InternalError',
  'UnknownError',
  // A nonce seen before: the next attempt signs with a new one.
  'SignatureNonceUsed',
]);

/** The journey's or template's fault: the number, the template, its parameters or signature. */
const USER = new Set([
  'isv.MOBILE_NUMBER_ILLEGAL',
  'isv.MOBILE_COUNT_OVER_LIMIT',
  'isv.SMS_TEMPLATE_ILLEGAL',
  'isv.SMS_SIGNATURE_ILLEGAL',
  'isv.SMS_SIGNATURE_SCENE_ILLEGAL',
  'isv.SIGN_STATE_ILLEGAL',
  'isv.SMS_SIGN_ILLEGAL',
  'isv.TEMPLATE_MISSING_PARAMETERS',
  'isv.TEMPLATE_PARAMS_ILLEGAL',
  'isv.INVALID_JSON_PARAM',
  'isv.INVALID_PARAMETERS',
  'isv.PARAM_LENGTH_LIMIT',
  'isv.PARAM_NOT_SUPPORT_URL',
  'isv.SMS_CONTENT_ILLEGAL',
  'isv.BLACK_KEY_CONTROL_LIMIT',
  'isv.DOMESTIC_NUMBER_NOT_SUPPORTED',
  'isv.EXTEND_CODE_ERROR',
  'MissingPhoneNumbers',
  'MissingSignName',
  'MissingTemplateCode',
]);

export function verdictOf(code: string, status: number): Verdict {
  if (RETRY.has(code) || code.startsWith('Throttling')) return { retry: true, user: false };
  if (USER.has(code)) return { retry: false, user: true };
  // Unknown codes: a 5xx is the platform's fault and passes; anything else is not retried.
  return { retry: status >= 500, user: false };
}
