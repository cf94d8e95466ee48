import { requestOutbound, StepError } from '@tend/plugin-sdk';
import { verdictOf } from './error-codes.ts';
import type { WecomSettings } from './settings.ts';

/** Fetched again this long before WeCom says it expires: a request in flight still carries a live one. */
const MARGIN_MS = 5 * 60_000;

interface Options {
  now: Date;
  signal: AbortSignal;
  timeoutMs: number;
  outboundAllow: readonly string[];
}

/**
 * WeCom's access token (`GET /cgi-bin/gettoken?corpid=…&corpsecret=…`, valid `expires_in`
 * seconds, developer.work.weixin.qq.com/document/path/91039): kept per process until it is about
 * to expire by the engine's clock, one fetch at a time however many sends ask at once, and
 * forgotten when WeCom answers that it expired.
 */
export class AccessTokens {
  #token: { value: string; until: number } | null = null;
  #fetching: Promise<string> | null = null;
  readonly #settings: WecomSettings;

  constructor(settings: WecomSettings) {
    this.#settings = settings;
  }

  async get(options: Options): Promise<string> {
    if (this.#token && this.#token.until > options.now.getTime()) return this.#token.value;
    this.#fetching ??= this.#fetch(options).finally(() => {
      this.#fetching = null;
    });
    return this.#fetching;
  }

  /** WeCom answered that `token` expired or is invalid: the next `get` fetches another. */
  forget(token: string): void {
    if (this.#token?.value === token) this.#token = null;
  }

  async #fetch(options: Options): Promise<string> {
    const url = new URL('/cgi-bin/gettoken', this.#settings.apiBase);
    url.searchParams.set('corpid', this.#settings.corpId ?? '');
    url.searchParams.set('corpsecret', this.#settings.corpSecret ?? '');
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
      const seconds = typeof parsed.expires_in === 'number' ? parsed.expires_in : 7200;
      this.#token = { value: parsed.access_token, until: options.now.getTime() + seconds * 1000 - MARGIN_MS };
      return parsed.access_token;
    }
    const code = typeof parsed.errcode === 'number' ? parsed.errcode : null;
    const verdict = code !== null ? verdictOf(code) : { retry: answer.status >= 500, user: false };
    throw new StepError(
      `wecom_${code ?? answer.status}`,
      `WeCom gettoken answered ${answer.status}${code !== null ? ` errcode ${code}` : ''}: ${parsed.errmsg ?? answer.text.slice(0, 200)}`,
      { kind: 'engine', retryable: verdict.retry },
    );
  }
}
