import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

/*
 * The API reference page: Swagger UI from the `swagger-ui-dist` package, served by the engine
 * itself (no CDN: installations run offline and behind firewalls). The page loads only files of
 * this origin, and Swagger UI's online validator is switched off (it would call swagger.io).
 */

const DIST = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** The files the page loads, by the name it asks for: nothing else of the package is served. */
const FILES: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

export const DOCS_SCRIPT = 'tend-docs.js';

// A person signed in to the editor tries routes with their session: writes then carry the
// session's CSRF token (GET /api/session), as the editor's own requests do. A key typed into
// "Authorize" needs none.
const script = `let csrf;
async function csrfToken() {
  if (csrf === undefined) {
    const res = await fetch('/api/session', { credentials: 'same-origin' }).catch(() => null);
    csrf = res && res.ok ? (await res.json()).csrfToken : null;
  }
  return csrf;
}
window.ui = SwaggerUIBundle({
  url: '/api/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
  requestInterceptor: async (request) => {
    const method = (request.method || 'GET').toUpperCase();
    if (method !== 'GET' && method !== 'HEAD' && !request.headers.Authorization) {
      const token = await csrfToken();
      if (token) request.headers['X-CSRF-Token'] = token;
    }
    return request;
  },
});
`;

export const docsPage = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Tend API reference</title>
    <link rel="stylesheet" href="/api/docs/swagger-ui.css" />
    <link rel="icon" type="image/png" href="/api/docs/favicon-32x32.png" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/api/docs/swagger-ui-bundle.js"></script>
    <script src="/api/docs/${DOCS_SCRIPT}"></script>
  </body>
</html>
`;

/** Swagger UI draws with inline styles and data: images; scripts and calls stay on this origin. */
export const DOCS_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** One of the page's files: its bytes and type, or null for a name that is none of them. */
export async function docsFile(
  name: string,
): Promise<{ body: Uint8Array<ArrayBuffer> | string; type: string } | null> {
  if (name === DOCS_SCRIPT) return { body: script, type: 'text/javascript; charset=utf-8' };
  const type = FILES[name];
  if (!type) return null;
  return { body: new Uint8Array(await readFile(path.join(DIST, name))), type };
}
