import { CachedToken, type ProviderMessage, requestOutbound, StepError } from '@tend/plugin-sdk';
import { verdictOf } from './error-codes.ts';
import type { WechatSettings } from './settings.ts';

type Options = Pick<ProviderMessage, 'now' | 'signal' | 'timeoutMs' | 'outboundAllow'>;

/**
 * The account's access token (`GET /cgi-bin/token?grant_type=client_credential&appid=…&secret=…`,
 * valid `expires_in` seconds; an error answer carries `errcode`), kept per process.
 */
export function wechatToken(settings: WechatSettings): CachedToken<Options> {
  return new CachedToken<Options>(async (options) => {
    const url = new URL('/cgi-bin/token', settings.apiBase);
    url.searchParams.set('grant_type', 'client_credential');
    url.searchParams.set('appid', settings.appId ?? '');
    url.searchParams.set('secret', settings.appSecret ?? '');
    const answer = await requestOutbound(url.href, {
      method: 'GET',
      headers: {},
      body: '',
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      allow: options.outboundAllow,
      what: 'the WeChat API (TEND_WECHAT_OA_API_BASE)',
    });
    let parsed: { errcode?: number; errmsg?: string; access_token?: string; expires_in?: number } = {};
    try {
      parsed = JSON.parse(answer.text) as typeof parsed;
    } catch {}
    if (answer.status === 200 && !parsed.errcode && parsed.access_token) {
      return { value: parsed.access_token, expiresInSeconds: parsed.expires_in ?? 7200 };
    }
    const code = typeof parsed.errcode === 'number' ? parsed.errcode : null;
    const verdict = code !== null ? verdictOf(code) : { retry: answer.status >= 500, user: false };
    throw new StepError(
      `wechat_${code ?? answer.status}`,
      `WeChat token answered ${answer.status}${code !== null ? ` errcode ${code}` : ''}: ${parsed.errmsg ?? answer.text.slice(0, 200)}`,
      { kind: 'engine', retryable: verdict.retry },
    );
  });
}
