import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/**
 * hono's body limit, decided from the headers when they decide it. hono's middleware first asks
 * for `c.req.raw.body`, which makes @hono/node-server build a whole web `Request` and a stream
 * over the socket for every request; the routes then read the body through that stream instead
 * of the server's direct path. In the one-event-per-request benchmark that was 4 % of the
 * engine's CPU. Only a body without a length (`Transfer-Encoding: chunked`) is counted as it
 * streams in, by hono's middleware.
 */
export function limitBody(maxSize: number, onError: (c: Context) => never): MiddlewareHandler {
  const streamed = bodyLimit({ maxSize, onError });
  return async (c, next) => {
    if (c.req.header('transfer-encoding') !== undefined) return streamed(c, next);
    // HTTP/1.1 without Transfer-Encoding: Content-Length is the body's size, or there is no body.
    const length = c.req.header('content-length');
    if (length !== undefined && Number.parseInt(length, 10) > maxSize) onError(c);
    await next();
  };
}
