import { randomUUID } from 'node:crypto';
import { type ProviderMessage, requestOutbound, StepError } from '@tend/plugin-sdk';
import { acs3Sign, canonicalQuery, sha256Hex } from './acs3-signature.ts';
import { verdictOf } from './error-codes.ts';
import type { AliyunSettings } from './settings.ts';

const ACTION = 'SendSms';
const VERSION = '2017-05-25';

/**
 * The number as SendSms wants it: mainland numbers as their 11 digits, others with their country
 * code and no `+` (Alibaba Cloud SMS, SendSms `PhoneNumbers`).
 */
export function aliyunNumber(e164: string): string {
  const digits = e164.replace(/[^\d]/g, '');
  return digits.startsWith('86') && digits.length === 13 ? digits.slice(2) : digits;
}

/**
 * One SendSms call: the parameters in the query, signed with ACS3-HMAC-SHA256, the message's key
 * as `OutId` (it comes back in delivery receipts). Returns the platform's `BizId`.
 */
export async function sendAliyunSms(
  settings: AliyunSettings,
  message: ProviderMessage,
): Promise<{ providerId: string | null }> {
  const platform = message.platform;
  if (!platform) {
    throw new StepError(
      'no_template_code',
      'Alibaba Cloud sends approved templates only: give the SMS template a front matter with templateCode and params',
      { kind: 'user', retryable: false },
    );
  }
  const signName = platform.signName ?? settings.signName;
  if (!signName) {
    throw new StepError(
      'no_sign_name',
      'no signature: set signName in the template’s front matter or TEND_SMS_ALIYUN_SIGN_NAME',
      { kind: 'user', retryable: false },
    );
  }
  const url = new URL(settings.endpoint);
  const query = {
    PhoneNumbers: aliyunNumber(message.to),
    SignName: signName,
    TemplateCode: platform.templateCode,
    TemplateParam: JSON.stringify(platform.params),
    OutId: message.key,
  };
  const body = '';
  const headers: Record<string, string> = {
    host: url.host,
    'x-acs-action': ACTION,
    'x-acs-version': VERSION,
    'x-acs-date': message.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'x-acs-signature-nonce': randomUUID(),
    'x-acs-content-sha256': sha256Hex(body),
  };
  const signed = acs3Sign({
    method: 'POST',
    path: '/',
    query,
    headers,
    accessKeyId: settings.accessKeyId ?? '',
    accessKeySecret: settings.accessKeySecret ?? '',
  });
  const answer = await requestOutbound(
    `${url.origin}${url.pathname.replace(/\/$/, '')}/?${canonicalQuery(query)}`,
    {
      headers: { ...headers, accept: 'application/json', authorization: signed.authorization },
      body,
      timeoutMs: message.timeoutMs,
      signal: message.signal,
      allow: message.outboundAllow,
      what: 'the Alibaba Cloud SMS endpoint (TEND_SMS_ALIYUN_ENDPOINT)',
    },
  );
  let parsed: { Code?: unknown; Message?: unknown; BizId?: unknown } = {};
  try {
    parsed = JSON.parse(answer.text) as typeof parsed;
  } catch {
    // Not JSON (a gateway's error page): judged by the status alone.
  }
  const code = typeof parsed.Code === 'string' ? parsed.Code : null;
  if (answer.status === 200 && code === 'OK') {
    return { providerId: typeof parsed.BizId === 'string' ? parsed.BizId : null };
  }
  const verdict = code
    ? verdictOf(code, answer.status)
    : { retry: answer.status >= 500 || answer.status === 429, user: false };
  const said = typeof parsed.Message === 'string' ? parsed.Message : answer.text.slice(0, 200);
  throw new StepError(
    `aliyun_${code ?? answer.status}`,
    `Alibaba Cloud SMS answered ${answer.status}${code ? ` ${code}` : ''}: ${said}`,
    { kind: verdict.user ? 'user' : 'engine', retryable: verdict.retry },
  );
}
