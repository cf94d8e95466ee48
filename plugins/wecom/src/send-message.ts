import { type CachedToken, callWithToken, type ProviderMessage, StepError } from '@tend/plugin-sdk';
import { WECOM } from './error-codes.ts';
import type { WecomSettings } from './settings.ts';

interface AddMsgTemplateAnswer {
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
  const url = new URL('/cgi-bin/externalcontact/add_msg_template', settings.apiBase);
  const answer = await callWithToken<AddMsgTemplateAnswer, ProviderMessage>(
    WECOM,
    tokens,
    message,
    url,
    body,
  );
  if (answer.fail_list?.includes(message.to)) {
    throw new StepError(
      'wecom_not_deliverable',
      `WeCom cannot send to ${message.to}: not an external contact of the sender, or it refused`,
      { kind: 'user', retryable: false },
    );
  }
  return { providerId: answer.msgid ?? null };
}
