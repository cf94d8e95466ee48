import type { CachedToken } from './cached-token.ts';
import type { ProviderMessage } from './messaging-provider.ts';
import { requestOutbound } from './outbound-request.ts';
import { StepError } from './step-error.ts';

/**
 * A platform whose JSON API answers `errcode` (0 or absent: success) and `errmsg`, with an access
 * token in the query string: Tencent's WeCom and WeChat Official Accounts. Providers for them
 * call through here, so each maps its codes and nothing else.
 */
export interface ErrcodePlatform {
  /** Its name in messages: "WeCom". */
  name: string;
  /** The step error codes' prefix: `wecom` → `wecom_45009`. */
  code: string;
  /** Named when an address is refused (see requestOutbound). */
  what: string;
  /** Codes that mean the access token expired or is invalid: fetched again, the call made once more. */
  tokenExpired: ReadonlySet<number>;
  /** `retry` when the same call can succeed soon; `user` when the journey or the customer's data is at fault. */
  verdictOf(errcode: number): { retry: boolean; user: boolean };
}

export type ErrcodeAnswer = { errcode?: number; errmsg?: string };
type Call = Pick<ProviderMessage, 'signal' | 'timeoutMs' | 'outboundAllow'>;

class ExpiredToken extends Error {}

/** One call (a body: POST of JSON; none: GET): the answer on success, else a StepError by the platform's verdict. */
export async function callErrcodeApi<Answer extends object>(
  platform: ErrcodePlatform,
  url: URL,
  body: string | null,
  call: Call,
): Promise<Answer & ErrcodeAnswer> {
  const answer = await requestOutbound(url.href, {
    ...(body === null ? { method: 'GET' as const } : {}),
    headers: body === null ? {} : { 'content-type': 'application/json; charset=utf-8' },
    body: body ?? '',
    timeoutMs: call.timeoutMs,
    signal: call.signal,
    allow: call.outboundAllow,
    what: platform.what,
  });
  let parsed: (Answer & ErrcodeAnswer) | null = null;
  try {
    const value: unknown = JSON.parse(answer.text);
    if (value && typeof value === 'object' && !Array.isArray(value)) parsed = value as Answer & ErrcodeAnswer;
  } catch {}
  const code = typeof parsed?.errcode === 'number' ? parsed.errcode : null;
  if (answer.status === 200 && parsed && !code) return parsed;
  if (code !== null && platform.tokenExpired.has(code)) throw new ExpiredToken();
  const verdict = code !== null ? platform.verdictOf(code) : { retry: answer.status >= 500, user: false };
  throw new StepError(
    `${platform.code}_${code ?? answer.status}`,
    `${platform.name} ${url.pathname} answered ${answer.status}${code !== null ? ` errcode ${code}` : ''}: ${parsed?.errmsg ?? answer.text.slice(0, 200)}`,
    { kind: verdict.user ? 'user' : 'engine', retryable: verdict.retry },
  );
}

/**
 * A call carrying the platform's access token: a token the platform says expired is forgotten,
 * a new one fetched and the call made once more.
 */
export async function callWithToken<Answer extends object, Options extends Call & { now: Date }>(
  platform: ErrcodePlatform,
  tokens: CachedToken<Options>,
  options: Options,
  url: URL,
  body: string,
): Promise<Answer & ErrcodeAnswer> {
  for (let attempt = 0; ; attempt += 1) {
    const token = await tokens.get(options);
    const withToken = new URL(url);
    withToken.searchParams.set('access_token', token);
    try {
      return await callErrcodeApi<Answer>(platform, withToken, body, options);
    } catch (error) {
      if (!(error instanceof ExpiredToken)) throw error;
      tokens.forget(token);
      if (attempt > 0)
        throw new StepError(
          `${platform.code}_token`,
          `${platform.name} refused a freshly fetched access token`,
          {
            kind: 'engine',
            retryable: true,
          },
        );
    }
  }
}

/** Reads an access token answer (`access_token`, `expires_in` seconds) for CachedToken. */
export async function fetchAccessToken(
  platform: ErrcodePlatform,
  url: URL,
  call: Call,
): Promise<{ value: string; expiresInSeconds: number }> {
  const answer = await callErrcodeApi<{ access_token?: string; expires_in?: number }>(
    platform,
    url,
    null,
    call,
  ).catch((error: unknown) => {
    // A token call answered with a token error (a wrong secret) is a failure like any other.
    if (error instanceof ExpiredToken)
      throw new StepError(
        `${platform.code}_token`,
        `${platform.name} ${url.pathname} refused the credentials`,
        {
          kind: 'engine',
          retryable: false,
        },
      );
    throw error;
  });
  if (!answer.access_token)
    throw new StepError(
      `${platform.code}_token`,
      `${platform.name} ${url.pathname} answered no access_token`,
      {
        kind: 'engine',
        retryable: true,
      },
    );
  return { value: answer.access_token, expiresInSeconds: answer.expires_in ?? 7200 };
}
