import { type CachedToken, type ProviderMessage, requestOutbound, StepError } from '@tend/plugin-sdk';
import { TOKEN_EXPIRED, verdictOf } from './error-codes.ts';
import type { WecomSettings } from './settings.ts';

interface AddMsgTemplateAnswer {
  errcode?: number;
  errmsg?: string;
  fail_list?: string[];
  msgid?: string;
}

/**
 * One message to one external contact as an enterprise mass-send task
 * (`POST /cgi-bin/externalcontact/add_msg_template`, developer.work.weixin.qq.com/document/path/92135):
 * WeCom asks the staff member to confirm, then sends. An expired token is fetched again and the
 * call made once more. A contact WeCom cannot send to comes back in `fail_list`: not retried.
 * Returns the task's `msgid`.
 */
export async function sendWecomMessage(
  settings: WecomSettings,
  tokens: CachedToken<ProviderMessage>,
  message: ProviderMessage,
): Promise<{ providerId: string | null }> {
  const body = JSON.stringify({
    chat_type: 'single',
    external_userid: [message.to],
    ...(settings.sender ? { sender: settings.sender } : {}),
    text: { content: message.text },
  });
  for (let attempt = 0; ; attempt += 1) {
    const token = await tokens.get(message);
    const url = new URL('/cgi-bin/externalcontact/add_msg_template', settings.apiBase);
    url.searchParams.set('access_token', token);
    const answer = await requestOutbound(url.href, {
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body,
      timeoutMs: message.timeoutMs,
      signal: message.signal,
      allow: message.outboundAllow,
      what: 'the WeCom API (TEND_WECOM_API_BASE)',
    });
    let parsed: AddMsgTemplateAnswer = {};
    try {
      parsed = JSON.parse(answer.text) as AddMsgTemplateAnswer;
    } catch {}
    const code = typeof parsed.errcode === 'number' ? parsed.errcode : null;
    if (code !== null && TOKEN_EXPIRED.has(code) && attempt === 0) {
      tokens.forget(token);
      continue;
    }
    if (answer.status === 200 && code === 0) {
      if (parsed.fail_list?.includes(message.to)) {
        throw new StepError(
          'wecom_not_deliverable',
          `WeCom cannot send to ${message.to}: not an external contact of the sender, or it refused`,
          { kind: 'user', retryable: false },
        );
      }
      return { providerId: parsed.msgid ?? null };
    }
    const verdict = code !== null ? verdictOf(code) : { retry: answer.status >= 500, user: false };
    throw new StepError(
      `wecom_${code ?? answer.status}`,
      `WeCom answered ${answer.status}${code !== null ? ` errcode ${code}` : ''}: ${parsed.errmsg ?? answer.text.slice(0, 200)}`,
      { kind: verdict.user ? 'user' : 'engine', retryable: verdict.retry },
    );
  }
}
