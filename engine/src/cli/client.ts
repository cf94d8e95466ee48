import type { Config } from '../config.ts';

/** The `{error: {code, message, …}}` body of a failed request. */
export interface ApiErrorBody {
  error?: { code?: string; message?: string; details?: unknown };
}

export interface ApiResponse<T> {
  status: number;
  ok: boolean;
  body: T & ApiErrorBody;
  text: string;
}

export interface CallOptions {
  /** Sent as is (YAML, say) instead of JSON. */
  text?: string;
  headers?: Record<string, string>;
}

export type ApiCall = <T = Record<string, unknown>>(
  method: string,
  route: string,
  body?: unknown,
  options?: CallOptions,
) => Promise<ApiResponse<T>>;

/** Thrown when Tend cannot be reached or the key is missing: the CLI prints it and exits 2. */
export class ClientError extends Error {
  override name = 'ClientError';
}

/** A client for the CLI commands that talk to a running Tend over its HTTP API. */
export function apiClient(config: Config): ApiCall {
  if (config.apiKeyGenerated) {
    throw new ClientError(
      'set TEND_API_KEY to a key of the Tend you talk to (and TEND_URL if it is not local)',
    );
  }
  return async function call<T>(method: string, route: string, body?: unknown, options: CallOptions = {}) {
    let res: Response;
    const json = options.text === undefined && body !== undefined;
    try {
      res = await fetch(`${config.url}${route}`, {
        method,
        headers: {
          authorization: `Bearer ${config.apiKey}`,
          'x-tend-source': 'cli',
          ...(json ? { 'content-type': 'application/json' } : {}),
          ...(options.text !== undefined ? { 'content-type': 'application/yaml' } : {}),
          ...options.headers,
        },
        ...(json ? { body: JSON.stringify(body) } : {}),
        ...(options.text !== undefined ? { body: options.text } : {}),
      });
    } catch (error) {
      throw new ClientError(
        `cannot reach Tend at ${config.url} (is it running? set TEND_URL): ${(error as Error).message}`,
      );
    }
    const text = await res.text();
    let parsed: unknown = {};
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: res.status, ok: res.ok, body: parsed as T & ApiErrorBody, text };
  };
}

/** The message of a failed response, for the terminal. */
export function failure(r: ApiResponse<unknown>): string {
  return r.body?.error?.message ?? `HTTP ${r.status}`;
}
