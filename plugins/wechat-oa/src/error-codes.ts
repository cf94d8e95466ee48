import type { ErrcodePlatform } from '@tend/plugin-sdk';

/**
 * What a WeChat `errcode` means for the message (WeChat Official Account "全局返回码",
 * developers.weixin.qq.com/doc/offiaccount/Getting_Started/Global_Return_Code.html): `retry` when
 * sending again soon can succeed (the system busy, frequency limits), `fail` when it cannot (the
 * follower, the template, the account). `user` marks what the journey, its template or the
 * customer's data got wrong. Expired or invalid tokens (40001, 40014, 42001) are not here: the
 * sender fetches a new token and sends again.
 */
const TOKEN_EXPIRED = new Set([40001, 40014, 42001]);

const RETRY = new Set([
  -1, // 系统繁忙
  45009, // 接口调用超过限制
  45011, // API调用太频繁
]);

const USER = new Set([
  40003, // 不合法的 OpenID
  40037, // 不合法的 template_id
  43004, // 需要接收者关注
  43101, // 用户拒绝接受消息 (not subscribed)
  47003, // 模板参数不准确
  47001, // 数据格式错误
]);

export function verdictOf(errcode: number): { retry: boolean; user: boolean } {
  if (RETRY.has(errcode)) return { retry: true, user: false };
  if (USER.has(errcode)) return { retry: false, user: true };
  // 40013 (invalid appid), 40125 (invalid secret), 40164 (IP not allowed), 48001 (no permission),
  // 45047 (quota), unknown: fail.
  return { retry: false, user: false };
}

/** The platform, for the SDK's errcode API calls. */
export const WECHAT: ErrcodePlatform = {
  name: 'WeChat',
  code: 'wechat',
  what: 'the WeChat API (TEND_WECHAT_OA_API_BASE)',
  tokenExpired: TOKEN_EXPIRED,
  verdictOf,
};
