import { CachedToken, fetchAccessToken, type ProviderMessage } from '@tend/plugin-sdk';
import { WECOM } from './error-codes.ts';
import type { WecomSettings } from './settings.ts';

type Options = Pick<ProviderMessage, 'now' | 'signal' | 'timeoutMs' | 'outboundAllow'>;

/**
 * WeCom's access token (`GET /cgi-bin/gettoken?corpid=…&corpsecret=…`, valid `expires_in`
 * seconds, developer.work.weixin.qq.com/document/path/91039), kept per process.
 */
export function wecomToken(settings: WecomSettings): CachedToken<Options> {
  return new CachedToken<Options>((options) => {
    const url = new URL('/cgi-bin/gettoken', settings.apiBase);
    url.searchParams.set('corpid', settings.corpId ?? '');
    url.searchParams.set('corpsecret', settings.corpSecret ?? '');
    return fetchAccessToken(WECOM, url, options);
  });
}
