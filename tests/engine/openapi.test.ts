import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiPath } from '../../engine/src/api/reference/document.ts';
import { createApp } from '../../engine/src/server/app.ts';
import { browserAvailable, launchBrowser, type TestBrowser } from '../support/browser.ts';
import {
  ADMIN_KEY,
  EXAMPLE_PLUGIN,
  startTestEngine,
  TEST_PLUGIN,
  type TestEngine,
} from '../support/engine.ts';

/*
 * GET /api/openapi.json describes the HTTP API as it is: a real OpenAPI 3.1 validator accepts it,
 * every mounted route is in it (and nothing else), and requests built from it alone get the
 * answers it documents.
 */

/** The document and answers, JSON read back. */
type Json = any;

/** Routes deliberately left out of the document, each with why. */
const NOT_DOCUMENTED: Record<string, string> = {
  'GET /health': 'probes for orchestrators (README, "Running"), not the API',
  'GET /ready': 'probes for orchestrators, not the API',
  'GET /metrics': 'Prometheus scraping, not the API',
  'GET /*': 'the editor’s files and its single-page routes',
  'GET /api/docs/{file}': 'the files the reference page loads (Swagger UI’s script and styles)',
};

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));

let engine: TestEngine;
let doc: Json;

beforeAll(async () => {
  // The example plugin too: its routes (API and public page) carry their own descriptions.
  engine = await startTestEngine({ TEND_PLUGINS: `${TEST_PLUGIN},${EXAMPLE_PLUGIN}` }, { workers: false });
  const res = await fetch(`${engine.url}/api/openapi.json`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  doc = await res.json();
});
afterAll(async () => {
  await engine?.stop();
});

/** A request built from the document alone: path, method, security header, body and its type. */
async function callAsDocumented(
  method: string,
  path: string,
  input: { params?: Record<string, string>; body?: unknown } = {},
): Promise<{ status: number; body: Json; operation: Json }> {
  const operation = doc.paths[path]?.[method.toLowerCase()];
  expect(operation, `${method} ${path} is in the document`).toBeDefined();
  let url = path;
  for (const p of operation.parameters ?? []) {
    if (p.in !== 'path') continue;
    const value = input.params?.[p.name];
    expect(value, `path parameter ${p.name}`).toBeDefined();
    expect(ajv.validate(p.schema, value), `${p.name} fits its schema`).toBe(true);
    url = url.replace(`{${p.name}}`, encodeURIComponent(value as string));
  }
  const headers: Record<string, string> = {};
  // The first security requirement the document names, sent the way its scheme says.
  const [scheme] = Object.keys(operation.security?.[0] ?? {});
  if (scheme) {
    const described = doc.components.securitySchemes[scheme];
    expect(described).toMatchObject({ type: 'http', scheme: 'bearer' });
    headers.authorization = `Bearer ${ADMIN_KEY}`;
  }
  let payload: string | undefined;
  if (input.body !== undefined) {
    const [type, media] = Object.entries(operation.requestBody.content)[0] as [string, Json];
    expect(type).toBe('application/json');
    const valid = ajv.validate(media.schema, input.body);
    expect(valid, `the body fits the documented schema: ${ajv.errorsText()}`).toBe(true);
    headers['content-type'] = type;
    payload = JSON.stringify(input.body);
  }
  const res = await fetch(`${engine.url}${url}`, { method, headers, ...(payload ? { body: payload } : {}) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, operation };
}

/** The answer is one the document names for this operation, and fits its schema. */
function expectDocumented(r: { status: number; body: Json; operation: Json }): void {
  const documented = r.operation.responses[String(r.status)];
  expect(documented, `status ${r.status} is documented (${JSON.stringify(r.body)})`).toBeDefined();
  const schema = documented.content?.['application/json']?.schema;
  expect(schema, `status ${r.status} has a documented body`).toBeDefined();
  expect(ajv.validate(schema, r.body), `the answer fits the documented schema: ${ajv.errorsText()}`).toBe(
    true,
  );
}

/** A 4xx answer in the document's one error shape. */
function expectDocumentedError(r: { status: number; body: Json; operation: Json }, status: number): void {
  expect(r.status).toBe(status);
  expect(r.operation.responses['4XX'].$ref).toBe('#/components/responses/Error');
  expect(ajv.validate(doc.components.schemas.Error, r.body), ajv.errorsText()).toBe(true);
}

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document, served without a key', async () => {
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('names every route the engine mounts, and no other', () => {
    // The app as the engine built it: its own sub-apps and every installed plugin's routes.
    const app = createApp(engine.services);
    const mounted = new Set(
      app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${openApiPath(r.path)}`),
    );
    const documented = new Set(
      Object.entries(doc.paths as Record<string, object>).flatMap(([path, item]) =>
        Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
      ),
    );
    const undocumented = [...mounted].filter((r) => !documented.has(r) && !(r in NOT_DOCUMENTED));
    const phantom = [...documented].filter((r) => !mounted.has(r));
    expect(undocumented, 'mounted but not in the document').toEqual([]);
    expect(phantom, 'in the document but not mounted').toEqual([]);
    // Plugins' halves are there, from their own packages.
    expect(documented).toContain('GET /api/example/stamps');
    expect(documented).toContain('GET /hello');
    expect(documented).toContain('POST /api/complaints/{id}/resolve');
    // Every exception still exists, so the list cannot outlive what it excuses.
    for (const route of Object.keys(NOT_DOCUMENTED)) expect(mounted).toContain(route);
  });

  it('states the permission of each route and the error shape of each', () => {
    const events = doc.paths['/api/events'].post;
    expect(events.security).toEqual([{ apiKey: ['events:ingest'] }, { session: ['events:ingest'] }]);
    expect(doc.paths['/api/customers'].get['x-tend-own-customers']).toBe(true);
    expect(doc.paths['/api/session'].post.security).toEqual([]);
    expect(doc.paths['/s/{token}'].get.security).toEqual([]);
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
      for (const [method, op] of Object.entries(item)) {
        expect(op.responses['4XX'], `${method} ${path}`).toEqual({ $ref: '#/components/responses/Error' });
        expect(op.security, `${method} ${path}`).toBeDefined();
      }
    }
  });

  it('names the permission each route really asks for', async () => {
    // A key without the named permission is refused (403) by every route that names it: `read`
    // tried with an ingest key (it reads nothing), every other permission with a viewer key.
    const keys: Record<string, string> = {};
    for (const role of ['viewer', 'ingest']) {
      const r = await engine.api('POST', '/api/keys', { name: `openapi-${role}`, role });
      expect(r.status).toBe(201);
      keys[role] = r.body.key;
    }
    const wrong: string[] = [];
    let tried = 0;
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
      for (const [method, op] of Object.entries(item)) {
        const access = op['x-tend-access'] as string;
        if (access === 'public' || access === 'signed-in') continue;
        expect(op.security[0].apiKey).toEqual([access]);
        const key = access === 'read' ? keys.ingest : keys.viewer;
        const url = path.replace(/\{[^}]+\}/g, 'x');
        const res = await fetch(`${engine.url}${url}`, {
          method: method.toUpperCase(),
          headers: { authorization: `Bearer ${key}` },
        });
        const body = (await res.json()) as Json;
        tried += 1;
        if (res.status !== 403 || !String(body.error?.message).includes(`needs ${access}`))
          wrong.push(`${method.toUpperCase()} ${path} (${access}): ${res.status} ${body.error?.message}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(tried).toBeGreaterThan(60);
  });

  it('reuses the schemas the routes check with', async () => {
    // A body the document's schema refuses, the route refuses too (400, the one error shape).
    const schema = doc.paths['/api/events'].post.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(['customerId', 'type']);
    expect(ajv.validate(schema, { type: 'order.placed' })).toBe(false);
    const r = await fetch(`${engine.url}/api/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'order.placed' }),
    });
    expectDocumentedError(
      { status: r.status, body: await r.json(), operation: doc.paths['/api/events'].post },
      400,
    );
  });
});

describe('requests built from the document', () => {
  it('POST /api/events: 202 with the event id', async () => {
    const r = await callAsDocumented('POST', '/api/events', {
      body: {
        customerId: 'oa-1',
        type: 'order.placed',
        data: { total: 12 },
        occurredAt: '2026-12-01T10:00:00Z',
      },
    });
    expect(r.status).toBe(202);
    expectDocumented(r);
  });

  it('PUT /api/customers/{id}: 201 with the customer', async () => {
    const r = await callAsDocumented('PUT', '/api/customers/{id}', {
      params: { id: 'oa-2' },
      body: { email: 'oa-2@example.com', name: '王芳', tags: ['vip'] },
    });
    expect(r.status).toBe(201);
    expectDocumented(r);
    expect(r.body).toMatchObject({ id: 'oa-2', email: 'oa-2@example.com' });
    const again = await callAsDocumented('PUT', '/api/customers/{id}', {
      params: { id: 'oa-2' },
      body: { phone: '+8613800000000' },
    });
    expect(again.status).toBe(200);
    expectDocumented(again);
  });

  it('POST /api/segments then GET /api/segments: the saved segment, as documented', async () => {
    const created = await callAsDocumented('POST', '/api/segments', {
      body: { id: 'oa-vips', name: 'VIPs', definition: "'vip' in customer.tags" },
    });
    expect(created.status).toBe(201);
    expectDocumented(created);
    const listed = await callAsDocumented('GET', '/api/segments');
    expect(listed.status).toBe(200);
    expectDocumented(listed);
    expect(listed.body.segments.map((s: Json) => s.id)).toContain('oa-vips');
  });

  it('GET /api/workflows: 200 with the journeys', async () => {
    const r = await callAsDocumented('GET', '/api/workflows');
    expect(r.status).toBe(200);
    expectDocumented(r);
  });
  it('then every GET without parameters answers as outlined (customers, events, segments now exist)', async () => {
    const checked: string[] = [];
    const wrong: string[] = [];
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
      const op = item.get;
      if (!op || path.includes('{') || op['x-tend-access'] === 'public') continue;
      const res = await fetch(`${engine.url}${path}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
      if (res.status >= 400) continue; // a route that needs a query (form-link?customer=)
      const documented = op.responses[String(res.status)];
      const schema = documented?.content?.['application/json']?.schema;
      if (!documented || !schema) {
        wrong.push(`GET ${path}: ${res.status} is not documented as JSON`);
        continue;
      }
      if (!ajv.validate(schema, await res.json())) wrong.push(`GET ${path}: ${ajv.errorsText()}`);
      checked.push(path);
    }
    expect(wrong).toEqual([]);
    expect(checked.length).toBeGreaterThan(20);
  });
});

describe('the reference page', () => {
  it('GET /api/docs answers HTML that loads Swagger UI from the engine itself', async () => {
    const res = await fetch(`${engine.url}/api/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
    expect(assets.length).toBeGreaterThanOrEqual(3);
    for (const asset of assets) {
      expect(asset, 'no CDN: every file from this origin').toMatch(/^\/api\/docs\//);
      const file = await fetch(`${engine.url}${asset}`);
      expect(file.status, asset).toBe(200);
      expect((await file.arrayBuffer()).byteLength, asset).toBeGreaterThan(0);
    }
    const init = await (await fetch(`${engine.url}/api/docs/tend-docs.js`)).text();
    expect(init).toContain("url: '/api/openapi.json'");
    expect(init).toContain('validatorUrl: null');
    const bundle = await fetch(`${engine.url}/api/docs/swagger-ui-bundle.js`);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
    // Only the page's own files: nothing else of the package, and no way out of its folder.
    expect((await fetch(`${engine.url}/api/docs/package.json`)).status).toBe(404);
    expect((await fetch(`${engine.url}/api/docs/..%2F..%2Fpackage.json`)).status).toBe(404);
  });
});

describe.runIf(browserAvailable())('the reference page in a browser', () => {
  let browser: TestBrowser;
  beforeAll(async () => {
    browser = await launchBrowser(engine.url);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('draws every operation of the document, asking nothing of another origin', async () => {
    const page = await browser.context.newPage();
    const elsewhere: string[] = [];
    const problems: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(engine.url) && !request.url().startsWith('data:'))
        elsewhere.push(request.url());
    });
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto('/api/docs');
    const operations = Object.values(doc.paths as Record<string, object>).reduce(
      (n, item) => n + Object.keys(item).length,
      0,
    );
    await page.locator('.opblock').first().waitFor({ timeout: 20_000 });
    expect(await page.locator('.opblock').count()).toBe(operations);
    expect(await page.locator('.opblock-summary-path').allTextContents()).toContain('/api/events');
    expect(elsewhere).toEqual([]);
    expect(problems).toEqual([]);
  }, 90_000);

  it('lets a signed-in person try a write with their session (its CSRF token sent for them)', async () => {
    const page = await browser.context.newPage();
    // The first admin, signed in: the session cookie is the browser's, as in the editor.
    const setup = await page.request.post('/api/setup', {
      data: { email: 'docs-reader@example.com', password: 'a long enough password 42' },
    });
    expect(setup.status()).toBe(201);
    const sent: Record<string, string>[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/api/segments/preview')) sent.push(request.headers());
    });
    await page.goto('/api/docs#/segments/postApiSegmentsPreview');
    const operation = page.locator('#operations-segments-postApiSegmentsPreview');
    await operation.locator('.try-out__btn').click();
    await operation.locator('textarea.body-param__text').fill('{"definition": "customer.tags.size() > 0"}');
    await operation.locator('.execute').click();
    await expect
      .poll(
        async () =>
          operation.locator('.live-responses-table tr.response .response-col_status').first().textContent(),
        {
          timeout: 20_000,
        },
      )
      .toContain('200');
    expect(sent.length).toBe(1);
    expect(sent[0]?.['x-csrf-token']).toMatch(/.+/);
  }, 90_000);
});
