import type { App } from '@tend/engine/server/app';
import { hc } from 'hono/client';

/** Errors the engine answers with: `{error:{code,message}}`, plus located `errors` for workflows. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: { path: string; line: number; column: number; message: string }[];

  constructor(
    status: number,
    code: string,
    message: string,
    errors: { path: string; line: number; column: number; message: string }[] = [],
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.errors = errors;
  }
}

let csrfToken: string | null = null;
let onSignedOut: () => void = () => {};

/** The session's CSRF token, sent with every write (the session cookie itself is httpOnly). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** What to do when the engine says the session is over (show the sign-in page). */
export function onSessionEnded(handler: () => void): void {
  onSignedOut = handler;
}

/** fetch with the session: its cookie, and the CSRF token on writes; a 401 shows the sign-in page. */
export const withSession: typeof fetch = async (input, init = {}) => {
  const headers = new Headers(init.headers);
  const method = (init.method ?? 'GET').toUpperCase();
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers.set('x-csrf-token', csrfToken);
  const res = await fetch(input, { ...init, headers, credentials: 'same-origin' });
  if (res.status === 401 && !String(input).includes('/api/session')) onSignedOut();
  return res;
};

/** The engine's API, typed from its Hono app (no hand-written client). */
export const client = hc<App>(typeof location === 'undefined' ? 'http://localhost' : location.origin, {
  fetch: withSession,
});
export const api = client.api;

/** The JSON of a successful response, or an ApiError carrying the engine's message. */
export async function unwrap<R extends { ok: boolean; status: number; json(): Promise<unknown> }>(
  pending: Promise<R>,
): Promise<Awaited<ReturnType<R['json']>>> {
  let res: R;
  try {
    res = await pending;
  } catch (error) {
    throw new ApiError(0, 'network', `the engine cannot be reached (${(error as Error).message})`);
  }
  if (res.ok) return res.json() as Promise<Awaited<ReturnType<R['json']>>>;
  const body = (await res.json().catch(() => ({}))) as {
    error?: { code?: string; message?: string };
    errors?: ApiError['errors'];
  };
  throw new ApiError(
    res.status,
    body.error?.code ?? 'http',
    body.error?.message ?? `HTTP ${res.status}`,
    body.errors,
  );
}

/** Sends a YAML document to a route that reads the raw body. */
export const yamlBody = (yaml: string) => ({
  init: { body: yaml, headers: { 'content-type': 'application/yaml' } },
});

/** Sends JSON to a route that reads its body itself. */
export const jsonBody = (value: unknown) => ({
  init: { body: JSON.stringify(value), headers: { 'content-type': 'application/json' } },
});
