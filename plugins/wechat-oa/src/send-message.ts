import { type CachedToken, type ProviderMessage, requestOutbound, StepError } from '@tend/plugin-sdk';
import { TOKEN_EXPIRED, verdictOf } from './error-codes.ts';
import type { WechatSettings } from './settings.ts';

const PATHS = {
  template: '/cgi-bin/message/template/send',
  subscribe: '/cgi-bin/message/subscribe/bizsend',
} as const;

/**
 * One template message (`POST /cgi-bin/message/template/send`) or subscribe message
 * (`POST /cgi-bin/message/subscribe/bizsend`) to a follower's openid: the template file's front
 * matter names the template (`templateCode`: its template_id) and its fields (`params`, each
 * sent as `{ value }`). An expired token is fetched again and the call made once more. Returns
 * the `msgid`.
 */
export async function sendWechatMessage(
  settings: WechatSettings,
  tokens: CachedToken<ProviderMessage>,
  message: ProviderMessage,
): Promise<{ providerId: string | null }> {
  const platform = message.platform;
  if (!platform) {
    throw new StepError(
      'no_template_code',
      'WeChat sends template messages only: give the wechat template a front matter with templateCode and params',
      { kind: 'user', retryable: false },
    );
  }
  const body = JSON.stringify({
    touser: message.to,
    template_id: platform.templateCode,
    data: Object.fromEntries(Object.entries(platform.params).map(([name, value]) => [name, { value }])),
  });
  for (let attempt = 0; ; attempt += 1) {
    const token = await tokens.get(message);
    const url = new URL(PATHS[settings.kind], settings.apiBase);
    url.searchParams.set('access_token', token);
    const answer = await requestOutbound(url.href, {
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body,
      timeoutMs: message.timeoutMs,
      signal: message.signal,
      allow: message.outboundAllow,
      what: 'the WeChat API (TEND_WECHAT_OA_API_BASE)',
    });
    let parsed: { errcode?: number; errmsg?: string; msgid?: number | string } = {};
    try {
      parsed = JSON.parse(answer.text) as typeof parsed;
    } catch {}
    const code = typeof parsed.errcode === 'number' ? parsed.errcode : null;
    if (code !== null && TOKEN_EXPIRED.has(code) && attempt === 0) {
      tokens.forget(token);
      continue;
    }
    if (answer.status === 200 && code === 0) {
      return { providerId: parsed.msgid === undefined ? null : String(parsed.msgid) };
    }
    const verdict = code !== null ? verdictOf(code) : { retry: answer.status >= 500, user: false };
    throw new StepError(
      `wechat_${code ?? answer.status}`,
      `WeChat answered ${answer.status}${code !== null ? ` errcode ${code}` : ''}: ${parsed.errmsg ?? answer.text.slice(0, 200)}`,
      { kind: verdict.user ? 'user' : 'engine', retryable: verdict.retry },
    );
  }
}
