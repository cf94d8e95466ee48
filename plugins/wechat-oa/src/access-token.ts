import { CachedToken, fetchAccessToken, type ProviderMessage } from '@tend/plugin-sdk';
import { WECHAT } from './error-codes.ts';
import type { WechatSettings } from './settings.ts';

type Options = Pick<ProviderMessage, 'now' | 'signal' | 'timeoutMs' | 'outboundAllow'>;

/**
 * The account's access token (`GET /cgi-bin/token?grant_type=client_credential&appid=…&secret=…`,
 * valid `expires_in` seconds; an error answer carries `errcode`), kept per process.
 */
export function wechatToken(settings: WechatSettings): CachedToken<Options> {
  return new CachedToken<Options>((options) => {
    const url = new URL('/cgi-bin/token', settings.apiBase);
    url.searchParams.set('grant_type', 'client_credential');
    url.searchParams.set('appid', settings.appId ?? '');
    url.searchParams.set('secret', settings.appSecret ?? '');
    return fetchAccessToken(WECHAT, url, options);
  });
}
