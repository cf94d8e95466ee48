import { CachedToken, type ProviderMessage, requestOutbound, StepError } from '@tend/plugin-sdk';
import { verdictOf } from './error-codes.ts';
import type { WecomSettings } from './settings.ts';

type Options = Pick<ProviderMessage, 'now' | 'signal' | 'timeoutMs' | 'outboundAllow'>;

/**
 * WeCom's access token (`GET /cgi-bin/gettoken?corpid=…&corpsecret=…`, valid `expires_in`
 * seconds, developer.work.weixin.qq.com/document/path/91039), kept per process.
 */
export function wecomToken(settings: WecomSettings): CachedToken<Options> {
  return new CachedToken<Options>(async (options) => {
    const url = new URL('/cgi-bin/gettoken', settings.apiBase);
    url.searchParams.set('corpid', settings.corpId ?? '');
    url.searchParams.set('corpsecret', settings.corpSecret ?? '');
    const answer = await requestOutbound(url.href, {
      method: 'GET',
      headers: {},
      body: '',
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      allow: options.outboundAllow,
      what: 'the WeCom API (TEND_WECOM_API_BASE)',
    });
    let parsed: { errcode?: number; errmsg?: string; access_token?: string; expires_in?: number } = {};
    try {
      parsed = JSON.parse(answer.text) as typeof parsed;
    } catch {}
    if (answer.status === 200 && parsed.errcode === 0 && parsed.access_token) {
      return { value: parsed.access_token, expiresInSeconds: parsed.expires_in ?? 7200 };
    }
    const code = typeof parsed.errcode === 'number' ? parsed.errcode : null;
    const verdict = code !== null ? verdictOf(code) : { retry: answer.status >= 500, user: false };
    throw new StepError(
      `wecom_${code ?? answer.status}`,
      `WeCom gettoken answered ${answer.status}${code !== null ? ` errcode ${code}` : ''}: ${parsed.errmsg ?? answer.text.slice(0, 200)}`,
      { kind: 'engine', retryable: verdict.retry },
    );
  });
}
