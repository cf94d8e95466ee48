import { createRequire } from 'node:module';
import { Hono } from 'hono';
import { notFound } from '../../errors.ts';
import type { PluginRegistry } from '../../plugins-host/registry.ts';
import type { AppEnv } from '../app-env.ts';
import { describedRoutes } from './described-routes.ts';
import { openApiDocument } from './document.ts';
import { DOCS_POLICY, docsFile, docsPage } from './swagger-ui.ts';

/** Tend's API version in the document: the engine package's. */
const VERSION = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;

// The installed plugins do not change while the process runs: one document per registry, kept
// as the JSON text it is sent as (about 90 kB).
const documents = new WeakMap<PluginRegistry, string>();

function documentOf(registry: PluginRegistry): string {
  let document = documents.get(registry);
  if (!document) {
    document = JSON.stringify(openApiDocument(describedRoutes(registry), { version: VERSION }));
    documents.set(registry, document);
  }
  return document;
}

/**
 * `GET /openapi.json` and the reference page `GET /docs` with its files. Mounted before
 * authentication: the document describes routes and holds no data.
 */
export const referenceApi = new Hono<AppEnv>()
  .get('/openapi.json', (c) =>
    c.body(documentOf(c.var.services.registry), 200, { 'content-type': 'application/json; charset=utf-8' }),
  )
  .get('/docs', (c) => {
    c.header('Content-Security-Policy', DOCS_POLICY);
    c.header('X-Content-Type-Options', 'nosniff');
    return c.html(docsPage);
  })
  .get('/docs/:file', async (c) => {
    const file = await docsFile(c.req.param('file'));
    if (!file) throw notFound(`file "${c.req.param('file')}" of the API reference`);
    return c.body(file.body, 200, {
      'content-type': file.type,
      'cache-control': 'public, max-age=3600',
      'x-content-type-options': 'nosniff',
    });
  });
