/** Fetched again this long before the platform says it expires: a request in flight still carries a live one. */
const MARGIN_MS = 5 * 60_000;

/**
 * A platform's access token (WeCom, WeChat): kept until it is about to expire by the engine's
 * clock, fetched once however many sends ask at once, and forgotten when the platform answers
 * that it expired or is invalid (the next `get` fetches another).
 */
export class CachedToken<Options extends { now: Date }> {
  #token: { value: string; until: number } | null = null;
  #fetching: Promise<string> | null = null;
  readonly #fetch: (options: Options) => Promise<{ value: string; expiresInSeconds: number }>;

  constructor(fetch: (options: Options) => Promise<{ value: string; expiresInSeconds: number }>) {
    this.#fetch = fetch;
  }

  async get(options: Options): Promise<string> {
    if (this.#token && this.#token.until > options.now.getTime()) return this.#token.value;
    this.#fetching ??= this.#fetch(options)
      .then(({ value, expiresInSeconds }) => {
        this.#token = { value, until: options.now.getTime() + expiresInSeconds * 1000 - MARGIN_MS };
        return value;
      })
      .finally(() => {
        this.#fetching = null;
      });
    return this.#fetching;
  }

  forget(value: string): void {
    if (this.#token?.value === value) this.#token = null;
  }
}
