import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type MiddlewareHandler } from 'hono';
import type { AppEnv } from '../api/app-env.ts';

/** serveStatic once the folder exists (the editor may be built after the engine started). */
function whenBuilt(dir: string, make: () => MiddlewareHandler): MiddlewareHandler {
  let handler: MiddlewareHandler | null = null;
  return async (c, next) => {
    if (!handler && existsSync(dir)) handler = make();
    return handler ? handler(c, next) : next();
  };
}

/** Paths the engine answers itself (API, survey and unsubscribe links): never the editor's page. */
const ENGINE_PATHS = /^\/(api|s|u)(\/|$)/;

/**
 * The editor's built files (`editor/dist`) at `/`. Hashed assets are cached for good; any other
 * path that is not the API gets index.html, so the single-page app's own URLs survive a reload.
 */
export function editorSite(dir: string) {
  const index = path.join(dir, 'index.html');
  return new Hono<AppEnv>()
    .use('*', async (c, next) => {
      await next();
      c.header('X-Content-Type-Options', 'nosniff');
      c.header('Referrer-Policy', 'same-origin');
      if ((c.res.headers.get('content-type') ?? '').startsWith('text/html')) {
        // React Flow positions nodes with inline styles; everything else comes from this origin.
        c.header(
          'Content-Security-Policy',
          "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        );
        c.header('Cache-Control', 'no-cache');
      }
    })
    .use(
      '/assets/*',
      whenBuilt(dir, () =>
        serveStatic({
          root: dir,
          onFound: (_path, c) => {
            c.header('Cache-Control', 'public, max-age=31536000, immutable');
          },
        }),
      ),
    )
    .use(
      '*',
      whenBuilt(dir, () => serveStatic({ root: dir })),
    )
    .get('*', async (c) => {
      if (ENGINE_PATHS.test(c.req.path)) {
        return c.json(
          { error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } },
          404,
        );
      }
      const html = await readFile(index, 'utf8').catch(() => null);
      if (html === null) {
        return c.json(
          {
            error: {
              code: 'editor_not_built',
              message:
                'the editor is not built: run `pnpm start` (it builds it) or `pnpm --filter @tend/editor build`',
            },
          },
          404,
        );
      }
      return c.html(html);
    });
}
