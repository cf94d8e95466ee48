import { isHttpError } from '@tend/plugin-sdk';
import { type Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { routePath } from 'hono/route';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv, AppServices } from '../api/app-env.ts';
import { auditApi } from '../api/audit.ts';
import { authenticate } from '../api/auth.ts';
import { customerBulkApi } from '../api/customer-bulk.ts';
import { customersApi } from '../api/customers.ts';
import { eventsApi } from '../api/events.ts';
import { experimentsApi } from '../api/experiments.ts';
import { explainApi } from '../api/explain.ts';
import { keysApi } from '../api/keys.ts';
import { libraryApi } from '../api/library.ts';
import { lifecycleApi } from '../api/lifecycle.ts';
import { liveApi, statsApi } from '../api/live.ts';
import { messagesApi } from '../api/messages.ts';
import { operationsApi } from '../api/operations.ts';
import { overviewApi } from '../api/overview.ts';
import { mountPluginApis, mountPluginPages } from '../api/plugin-routes.ts';
import { pluginsApi } from '../api/plugins.ts';
import { predictionsApi } from '../api/predictions.ts';
import { previewApi } from '../api/preview.ts';
import { filesApi, pushApi } from '../api/push.ts';
import { clientAddress, rateLimit } from '../api/rate-limit.ts';
import { referenceApi } from '../api/reference/reference-api.ts';
import { replicaReads } from '../api/replica-reads.ts';
import { runsApi } from '../api/runs.ts';
import { segmentsApi } from '../api/segments.ts';
import { sessionApi, signInApi } from '../api/session.ts';
import { usersApi } from '../api/users.ts';
import { workflowAdminApi } from '../api/workflow-admin.ts';
import { workflowsApi } from '../api/workflows.ts';
import { AppError, ValidationFailed } from '../errors.ts';
import { httpMetrics } from '../observability/http-metrics.ts';
import { httpTracing } from '../observability/http-tracing.ts';
import { limitBody } from './body-limit.ts';
import { editorSite } from './editor-static.ts';
import { probesApi } from './probes.ts';

/** The HTTP API (DESIGN §7). Sub-apps per resource, one error handler, JSON everywhere. */
export function createApp(services: AppServices) {
  const api = new Hono<AppEnv>()
    .use(
      limitBody(services.config.maxBodyBytes, () => {
        throw new AppError(
          413,
          'too_large',
          `the request body is larger than ${services.config.maxBodyBytes} bytes`,
        );
      }),
    )
    .use(replicaReads)
    // Signing in (and creating the first admin) works before there is anyone to authenticate.
    .route('/', signInApi)
    // The API reference describes routes and holds no data: it needs no key (README).
    .route('/', referenceApi)
    .use(authenticate)
    .route('/session', sessionApi)
    .route('/workflows', previewApi)
    .route('/workflows', liveApi)
    .route('/workflows', workflowAdminApi)
    .route('/workflows', experimentsApi)
    .route('/workflows', workflowsApi)
    .route('/workflows', operationsApi)
    .route('/push', pushApi)
    .route('/files', filesApi)
    .route('/customers/bulk', customerBulkApi)
    .route('/customers', customersApi)
    .route('/customers', explainApi)
    .route('/events', eventsApi)
    .route('/runs', runsApi)
    .route('/keys', keysApi)
    .route('/plugins', pluginsApi)
    .route('/segments', segmentsApi)
    .route('/audit', auditApi)
    .route('/messages', messagesApi)
    .route('/', lifecycleApi)
    .route('/', predictionsApi)
    .route('/users', usersApi)
    .route('/stats', statsApi)
    .route('/overview', overviewApi)
    .route('/library', libraryApi);
  mountPluginApis(api, services.plugins);

  const { config } = services;
  const client = (c: Context) => `client:${clientAddress(c, config.trustedProxies)}`;
  // A link's signed token is its own bucket: a valid survey answer or unsubscribe is never held
  // up by what others behind the same address (an office, a mailbox provider) did. Forged,
  // expired and made-up tokens share their client's bucket, which bounds guessing.
  const links = services.plugins.links;
  const linkOrClient = (c: Context) => {
    const token = c.req.path.split('/')[2] ?? '';
    return token && links.verify(token, services.now()) ? `link:${token}` : client(c);
  };
  const publicPages = rateLimit({ perMinute: config.publicRateLimit, key: linkOrClient });
  // Providers send many signed callbacks from few addresses: only refused ones count.
  const callbacks = rateLimit({ perMinute: config.publicRateLimit, key: client, counts: failed });
  // Wrong passwords and refused setups count; people signing in successfully do not.
  const signIn = rateLimit({
    perMinute: config.signInRateLimit,
    key: (c) => (c.req.method === 'POST' ? client(c) : null),
    counts: failed,
  });

  const app = new Hono<AppEnv>()
    .use(async (c, next) => {
      c.set('services', services);
      await next();
    })
    // X-Request-Id in every answer (a caller's own id is kept): what a person quotes to support.
    .use(requestId())
    .use(httpMetrics(services.runtime.metrics))
    .use(httpTracing())
    .use('/api/session', signIn)
    .use('/api/setup', signIn)
    .route('/', probesApi);
  // Reached without an API key: pages behind signed links in messages, signed provider
  // callbacks. Before /api, whose authentication would otherwise answer first.
  mountPluginPages(app, services.plugins, (refusedOnly) => (refusedOnly ? callbacks : publicPages));
  const site = app.route('/api', api).route('/', editorSite(services.config.editorDir));

  site.notFound((c) =>
    c.json({ error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } }, 404),
  );
  site.onError((error, c) => {
    const { status, body } = toResponse(error);
    if (status >= 500) {
      services.log
        .bind({ request: c.var.requestId })
        .error(`${c.req.method} ${routePath(c)} failed`, { error });
    }
    return c.json(body, status);
  });
  return site;
}

export type App = ReturnType<typeof createApp>;

const failed = (status: number) => status >= 400;

/** Bad input of any kind is a 4xx with a message; only Tend's own faults are 500. */
function toResponse(error: Error): { status: ContentfulStatusCode; body: object } {
  if (error instanceof ValidationFailed) {
    return {
      status: 422,
      body: { error: { code: error.code, message: error.message }, errors: error.issues },
    };
  }
  if (error instanceof AppError || isHttpError(error)) {
    const details = error.details === undefined ? {} : { details: error.details };
    return {
      status: error.status as ContentfulStatusCode,
      body: { error: { code: error.code, message: error.message, ...details } },
    };
  }
  if (error instanceof HTTPException) {
    return {
      status: error.status as ContentfulStatusCode,
      body: { error: { code: 'http', message: error.message } },
    };
  }
  if (error instanceof URIError) {
    return {
      status: 400,
      body: { error: { code: 'bad_request', message: 'the URL is not properly encoded' } },
    };
  }
  const pg = (error as { code?: unknown }).code;
  // PostgreSQL data exceptions (class 22: bad number, too long, invalid text) come from input.
  if (typeof pg === 'string' && pg.startsWith('22')) {
    return { status: 400, body: { error: { code: 'bad_request', message: error.message } } };
  }
  const unavailable = databaseUnavailable(error, pg);
  if (unavailable) {
    return { status: 503, body: { error: { code: 'database_unavailable', message: unavailable } } };
  }
  return {
    status: 500,
    body: { error: { code: 'internal', message: 'Tend failed to handle this request; see its log' } },
  };
}

/**
 * When the database cannot do the work (its disk is full, it is out of memory or connections, it
 * is shutting down or restarting, it cannot be reached), why: nothing was stored, and the same
 * request will work once it can (503).
 */
function databaseUnavailable(error: Error, code: unknown): string | null {
  const text = typeof code === 'string' ? code : '';
  if (text === '53100') return `the database's disk is full: nothing was stored (${error.message})`;
  if (text.startsWith('53')) return `the database is out of resources: nothing was stored (${error.message})`;
  if (
    text.startsWith('57P') ||
    text.startsWith('08') ||
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT'].includes(text)
  )
    return `the database cannot be reached right now: nothing was stored (${error.message})`;
  if (/Connection terminated|timeout exceeded when trying to connect/.test(error.message))
    return `the database cannot be reached right now: nothing was stored (${error.message})`;
  return null;
}
