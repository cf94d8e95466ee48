import type { ErrcodePlatform } from '@tend/plugin-sdk';

/**
 * What a WeCom `errcode` means for the message (WeCom "全局错误码",
 * developer.work.weixin.qq.com/document/path/90313): `retry` when sending again soon can succeed
 * (the system busy, frequency limits), `fail` when it cannot (the contact, the secret, missing
 * permission). `user` marks what the journey or the customer's data got wrong. Expired or invalid
 * access tokens (40014, 42001) are not here: the sender fetches a new token and sends again.
 */
const TOKEN_EXPIRED = new Set([40014, 42001]);

const RETRY = new Set([
  -1, // 系统繁忙
  45009, // 接口调用超过限制
  45033, // 接口并发调用超过限制
  45011, // API调用太频繁
]);

const USER = new Set([
  40003, // 无效的UserID (sender)
  40096, // 不合法的外部联系人userid
  41002, // 缺少corpid参数
  44004, // 文本消息content参数为空
  45002, // 消息内容大小超过限制
  84061, // 不存在外部联系人的关系
]);

export function verdictOf(errcode: number): { retry: boolean; user: boolean } {
  if (RETRY.has(errcode)) return { retry: true, user: false };
  if (USER.has(errcode)) return { retry: false, user: true };
  // 40001 (invalid secret), 40013 (invalid corpid), 48002 / 60011 (no permission), unknown: fail.
  return { retry: false, user: false };
}

/** The platform, for the SDK's errcode API calls. */
export const WECOM: ErrcodePlatform = {
  name: 'WeCom',
  code: 'wecom',
  what: 'the WeCom API (TEND_WECOM_API_BASE)',
  tokenExpired: TOKEN_EXPIRED,
  verdictOf,
};
