import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { inSpan } from './tracing.ts';

/**
 * A server span per HTTP request, named by its route's pattern once the route is known. The
 * path itself is left out: it can hold signed tokens (survey and unsubscribe links).
 */
export function httpTracing(): MiddlewareHandler {
  return (c, next) =>
    inSpan(
      c.req.method,
      { 'http.request.method': c.req.method },
      async () => {
        await next();
        const span = trace.getActiveSpan();
        const route = routePath(c) || 'unmatched';
        span?.updateName(`${c.req.method} ${route}`);
        span?.setAttributes({ 'http.route': route, 'http.response.status_code': c.res.status });
        if (c.res.status >= 500) span?.setStatus({ code: SpanStatusCode.ERROR });
      },
      SpanKind.SERVER,
    );
}
