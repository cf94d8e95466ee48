import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { EngineMetrics } from './metrics.ts';

/**
 * Counts and times every HTTP answer by its route's pattern (`/api/customers/:id`), never by the
 * path itself: ids in paths would make a series per customer.
 */
export function httpMetrics(metrics: EngineMetrics): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      // After next(), the route index points at the handler that answered.
      const route = routePath(c) || 'unmatched';
      const method = c.req.method;
      metrics.httpRequests.inc({ method, route, status: String(c.res.status) });
      metrics.httpDuration.observe({ method, route }, (performance.now() - started) / 1000);
    }
  };
}
