import { type ProviderMessage, requestOutbound, StepError } from '@tend/plugin-sdk';
import { verdictOf } from './error-codes.ts';
import type { TencentSettings } from './settings.ts';
import { tc3Sign } from './tc3-signature.ts';

const ACTION = 'SendSms';
const VERSION = '2021-01-11';

interface SendSmsAnswer {
  Response?: {
    Error?: { Code?: string; Message?: string };
    SendStatusSet?: { SerialNo?: string; PhoneNumber?: string; Code?: string; Message?: string }[];
    RequestId?: string;
  };
}

/**
 * One SendSms call (API 3.0, JSON, TC3-HMAC-SHA256), the message's key as `SessionContext` (it
 * comes back in delivery receipts). The platform answers 200 for most errors: the request's own
 * (`Response.Error`) and the number's (`SendStatusSet[0].Code` other than `Ok`). Returns the
 * message's `SerialNo`.
 */
export async function sendTencentSms(
  settings: TencentSettings,
  message: ProviderMessage,
): Promise<{ providerId: string | null }> {
  const platform = message.platform;
  if (!platform) {
    throw new StepError(
      'no_template_code',
      'Tencent Cloud sends approved templates only: give the SMS template a front matter with templateCode and params',
      { kind: 'user', retryable: false },
    );
  }
  const signName = platform.signName ?? settings.signName;
  const url = new URL(settings.endpoint);
  const payload = JSON.stringify({
    PhoneNumberSet: [message.to.startsWith('+') ? message.to : `+${message.to}`],
    SmsSdkAppId: settings.sdkAppId ?? '',
    TemplateId: platform.templateCode,
    // Template parameters are positional ({1}, {2}…): in the front matter's order.
    TemplateParamSet: Object.values(platform.params),
    ...(signName ? { SignName: signName } : {}),
    SessionContext: message.key,
  });
  const timestamp = Math.floor(message.now.getTime() / 1000);
  const signed = tc3Sign({
    service: 'sms',
    host: url.host,
    action: ACTION,
    payload,
    timestamp,
    secretId: settings.secretId ?? '',
    secretKey: settings.secretKey ?? '',
  });
  const answer = await requestOutbound(url.href, {
    headers: {
      authorization: signed.authorization,
      'content-type': 'application/json; charset=utf-8',
      host: url.host,
      'x-tc-action': ACTION,
      'x-tc-timestamp': String(timestamp),
      'x-tc-version': VERSION,
      'x-tc-region': settings.region,
    },
    body: payload,
    timeoutMs: message.timeoutMs,
    signal: message.signal,
    allow: message.outboundAllow,
    what: 'the Tencent Cloud SMS endpoint (TEND_SMS_TENCENT_ENDPOINT)',
  });
  let parsed: SendSmsAnswer = {};
  try {
    parsed = JSON.parse(answer.text) as SendSmsAnswer;
  } catch {
    // Not JSON (a gateway's error page): judged by the status alone.
  }
  const response = parsed.Response;
  const status = response?.SendStatusSet?.[0];
  if (answer.status === 200 && !response?.Error && status?.Code === 'Ok') {
    return { providerId: status.SerialNo ?? null };
  }
  const code = response?.Error?.Code ?? status?.Code ?? null;
  const said = response?.Error?.Message ?? status?.Message ?? answer.text.slice(0, 200);
  const verdict = code
    ? verdictOf(code)
    : { retry: answer.status >= 500 || answer.status === 429, user: false };
  throw new StepError(
    `tencent_${code ?? answer.status}`,
    `Tencent Cloud SMS answered ${answer.status}${code ? ` ${code}` : ''}: ${said}`,
    { kind: verdict.user ? 'user' : 'engine', retryable: verdict.retry },
  );
}
