import { type CachedToken, callWithToken, type ProviderMessage, StepError } from '@tend/plugin-sdk';
import { WECHAT } from './error-codes.ts';
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
  const url = new URL(PATHS[settings.kind], settings.apiBase);
  const answer = await callWithToken<{ msgid?: number | string }, ProviderMessage>(
    WECHAT,
    tokens,
    message,
    url,
    body,
  );
  return { providerId: answer.msgid === undefined ? null : String(answer.msgid) };
}
