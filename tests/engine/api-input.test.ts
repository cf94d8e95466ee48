import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, startTestEngine, type TestEngine } from '../support/engine.ts';

let engine: TestEngine;
const keys: Record<string, string> = {};

beforeAll(async () => {
  engine = await startTestEngine({ TEND_MAX_BODY_BYTES: '200000' }, { workers: false });
  for (const role of ['admin', 'operator', 'viewer', 'ingest']) {
    const r = await engine.api('POST', '/api/keys', { name: `${role}-key`, role });
    expect(r.status).toBe(201);
    keys[role] = r.body.key;
  }
});
afterAll(async () => {
  await engine?.stop();
});

const workflow = 'id: roles\nname: Roles\ntrigger: { event: e }\nstart: a\nstates:\n  a: { end: done }\n';

describe('API keys and roles', () => {
  it('health needs no key; everything under /api does', async () => {
    expect(await engine.api('GET', '/health', undefined, { key: null })).toMatchObject({
      status: 200,
      body: { status: 'ok' },
    });
    expect((await engine.api('GET', '/api/workflows', undefined, { key: null })).status).toBe(401);
    expect((await engine.api('GET', '/api/workflows', undefined, { key: 'tend_wrong' })).status).toBe(401);
  });

  it.each([
    ['viewer', 'GET', '/api/workflows', undefined, 200],
    ['viewer', 'POST', '/api/workflows', workflow, 403],
    ['viewer', 'POST', '/api/events', { customerId: 'r1', type: 'e' }, 403],
    ['ingest', 'POST', '/api/events', { customerId: 'r1', type: 'e' }, 202],
    ['ingest', 'PUT', '/api/customers/r1', { tags: ['x'] }, 200],
    ['ingest', 'GET', '/api/runs', undefined, 403],
    ['operator', 'POST', '/api/workflows', workflow, 201],
    ['operator', 'POST', '/api/workflows/roles/publish', { version: 1 }, 200],
    ['operator', 'POST', '/api/keys', { name: 'x', role: 'admin' }, 403],
    ['viewer', 'GET', '/api/keys', undefined, 403],
    ['admin', 'GET', '/api/keys', undefined, 200],
    ['admin', 'GET', '/api/plugins', undefined, 200],
  ] as const)('%s %s %s → %s', async (role, method, route, body, status) => {
    const r = await engine.api(method, route, body, { key: keys[role] ?? null });
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    if (status >= 400)
      expect(r.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  });

  it('keys are shown once and stored hashed; a revoked key stops working', async () => {
    const created = await engine.api('POST', '/api/keys', { name: 'temp', role: 'viewer' });
    const list = await engine.api('GET', '/api/keys');
    expect(JSON.stringify(list.body)).not.toContain(created.body.key);
    expect((await engine.api('GET', '/api/runs', undefined, { key: created.body.key })).status).toBe(200);
    expect((await engine.api('DELETE', `/api/keys/${created.body.id}`)).status).toBe(200);
    expect((await engine.api('GET', '/api/runs', undefined, { key: created.body.key })).status).toBe(401);
  });

  it('lists plugins with their schemas (the editor palette)', async () => {
    const r = await engine.api('GET', '/api/plugins');
    const steps = r.body.plugins.flatMap((p: { steps: { id: string }[] }) => p.steps.map((s) => s.id));
    expect(steps).toEqual(expect.arrayContaining(['core.set', 'test.noop']));
    expect(r.body.plugins[0].steps[0].configSchema).toMatchObject({ type: 'object' });
  });
});

describe('bad input is a 4xx with a message, never a 500', () => {
  const bad: [string, string, string, string | undefined, number][] = [
    ['not JSON', 'POST', '/api/events', '{"customerId": ', 400],
    ['empty body', 'POST', '/api/events', '', 400],
    ['wrong types', 'POST', '/api/events', JSON.stringify({ customerId: 5, type: [] }), 400],
    ['unknown field', 'POST', '/api/events', JSON.stringify({ customerId: 'a', type: 'e', extra: 1 }), 400],
    ['bad event type', 'POST', '/api/events', JSON.stringify({ customerId: 'a', type: 'Has Spaces' }), 400],
    [
      'reserved event type',
      'POST',
      '/api/events',
      JSON.stringify({ customerId: 'a', type: 'tend.step.done' }),
      400,
    ],
    [
      'bad date',
      'POST',
      '/api/events',
      JSON.stringify({ customerId: 'a', type: 'e', occurredAt: 'yesterday' }),
      400,
    ],
    ['batch not an array', 'POST', '/api/events/batch', JSON.stringify({ customerId: 'a' }), 400],
    [
      'batch with a bad item',
      'POST',
      '/api/events/batch',
      JSON.stringify([{ customerId: 'a', type: 'e' }, { type: 'e' }]),
      400,
    ],
    ['JSON array as a customer', 'PUT', '/api/customers/a', '[1,2]', 400],
    ['bad time zone', 'PUT', '/api/customers/a', JSON.stringify({ timezone: 'Mars/Olympus' }), 400],
    ['tags not strings', 'PUT', '/api/customers/a', JSON.stringify({ tags: [1] }), 400],
    ['bad URL encoding', 'GET', '/api/customers/%E0%A4%A', undefined, 400],
    ['unknown customer', 'GET', '/api/customers/nobody', undefined, 404],
    ['unknown run', 'GET', '/api/runs/not-a-uuid', undefined, 404],
    ['bad run filter', 'GET', '/api/runs?status=sleeping', undefined, 400],
    ['bad limit', 'GET', '/api/runs?limit=-1', undefined, 400],
    ['publish unknown version', 'POST', '/api/workflows/roles/publish', JSON.stringify({ version: 99 }), 404],
    ['publish bad body', 'POST', '/api/workflows/roles/publish', JSON.stringify({ version: 'one' }), 400],
    ['unknown workflow', 'GET', '/api/workflows/nope', undefined, 404],
    ['bad version number', 'GET', '/api/workflows/roles/versions/abc', undefined, 404],
    ['key with bad role', 'POST', '/api/keys', JSON.stringify({ name: 'x', role: 'god' }), 400],
    ['unknown route', 'GET', '/api/nothing-here', undefined, 404],
    [
      'YAML bomb',
      'POST',
      '/api/workflows',
      `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n`,
      422,
    ],
  ];

  it.each(bad)('%s → %s', async (_name, method, route, body, status) => {
    const res = await fetch(`${engine.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body }),
    });
    expect(res.status).toBe(status);
    const json = (await res.json()) as { error: { code: string; message: string } };
    expect(json.error.message.length).toBeGreaterThan(3);
  });

  it('a body over the size limit is refused with 413', async () => {
    const big = JSON.stringify([{ customerId: 'a', type: 'e', data: { pad: 'x'.repeat(300_000) } }]);
    const res = await fetch(`${engine.url}/api/events/batch`, {
      method: 'POST',
      // The server answers before reading the whole body, then closes: keep this socket apart.
      headers: {
        authorization: `Bearer ${ADMIN_KEY}`,
        'content-type': 'application/json',
        connection: 'close',
      },
      body: big,
    });
    expect(res.status).toBe(413);
  });

  it('counts a body sent without a length (chunked) as it comes: over the limit 413, under it taken', async () => {
    const chunked = (text: string) =>
      fetch(`${engine.url}/api/events/batch`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${ADMIN_KEY}`,
          'content-type': 'application/json',
          connection: 'close',
        },
        body: new ReadableStream({
          start(controller) {
            // Several chunks, so the server cannot know the size before it has read them.
            for (let i = 0; i < text.length; i += 64 * 1024) {
              controller.enqueue(new TextEncoder().encode(text.slice(i, i + 64 * 1024)));
            }
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
    const big = JSON.stringify([{ customerId: 'a', type: 'e', data: { pad: 'x'.repeat(300_000) } }]);
    expect((await chunked(big)).status).toBe(413);
    const small = JSON.stringify([{ customerId: 'chunked-1', type: 'e', data: { pad: 'x'.repeat(70_000) } }]);
    const res = await chunked(small);
    expect(res.status, await res.clone().text()).toBe(202);
    expect(await res.json()).toMatchObject({ accepted: 1 });
  });

  it('random garbage on every route never yields a 500', async () => {
    const routes = [
      '/api/workflows',
      '/api/workflows/validate',
      '/api/events',
      '/api/events/batch',
      '/api/keys',
      '/api/customers/x',
      '/api/workflows/roles/publish',
    ];
    const garbage = [
      '\u0000\u0001',
      '{"a":',
      '[[[[',
      'null',
      '42',
      '"str"',
      '{"customerId":"a","type":"e","data":"x"}',
      '{"version": 1e309}',
      'id: [',
      '%%%',
    ];
    for (const route of routes) {
      for (const body of garbage) {
        for (const method of ['POST', 'PUT']) {
          const res = await fetch(`${engine.url}${route}`, {
            method,
            headers: { authorization: `Bearer ${ADMIN_KEY}` },
            body,
          });
          expect(res.status, `${method} ${route} ${body}`).toBeLessThan(500);
        }
      }
    }
  });
});

describe('hostile bodies are refused with what is wrong and where, and store nothing', () => {
  const post = (
    route: string,
    body: string | Uint8Array,
    type: string | null = 'application/json',
    method = 'POST',
  ) =>
    fetch(`${engine.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_KEY}`, ...(type ? { 'content-type': type } : {}) },
      body,
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
  const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

  it('refuses data nested 5,000 levels deep with 400 naming the limit and the field', async () => {
    const r = await post('/api/events', `{"customerId":"deep-1","type":"e","data":${nested(5000)}}`);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'too_deep' });
    expect(r.body.error.message).toMatch(/deeper than 64 levels at data\.a\.a\.a…a\.a\.a \(character \d+\)/);
    const batch = await post(
      '/api/events/batch',
      `[{"customerId":"deep-1","type":"e","data":${nested(100)}}]`,
    );
    expect(batch.body.error.message).toMatch(/at \[0\]\.data\.a/);
    expect((await engine.api('GET', '/api/customers/deep-1')).status).toBe(404);
  });

  it('takes JSON only as application/json: text/plain or no Content-Type is 415 naming the type', async () => {
    const event = JSON.stringify({ customerId: 'typed-1', type: 'e' });
    for (const type of [
      'text/plain',
      'text/plain;charset=UTF-8',
      null,
      'application/x-www-form-urlencoded',
    ]) {
      const r = await post('/api/events', event, type);
      expect(r.status, String(type)).toBe(415);
      expect(r.body.error.message).toContain('Content-Type: application/json');
    }
    expect((await post('/api/events', event, 'application/json; charset=utf-8')).status).toBe(202);
  });

  it('refuses a byte order mark before JSON with 400', async () => {
    const bom = new Uint8Array([
      0xef,
      0xbb,
      0xbf,
      ...Buffer.from(JSON.stringify({ customerId: 'bom-1', type: 'e' })),
    ]);
    const r = await post('/api/events', bom);
    expect(r).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringMatching(/byte order mark/) } },
    });
    expect((await engine.api('GET', '/api/customers/bom-1')).status).toBe(404);
  });

  it.each([
    ['"NaN"', '"NaN"'],
    ['"Infinity"', '"Infinity"'],
    ['1e308', '1e308'],
    ['1e400 (Infinity once parsed)', '1e400'],
    ['a word', '"lots"'],
    ['true', 'true'],
  ])('refuses an order amount of %s with 400 naming data.amount', async (_name, amount) => {
    const r = await post(
      '/api/events',
      `{"customerId":"amount-1","type":"order.placed","data":{"amount":${amount}}}`,
    );
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/^data\.amount of order\.placed events must be/);
  });

  it('refuses a whole batch for one bad amount, naming the item, and stores none of it', async () => {
    const r = await post(
      '/api/events/batch',
      JSON.stringify([
        { customerId: 'amount-2', type: 'order.placed', data: { amount: 12.5 } },
        { customerId: 'amount-3', type: 'order.placed', data: { amount: 'NaN' } },
      ]),
    );
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/^\[1\]\.data\.amount /);
    expect((await engine.api('GET', '/api/customers/amount-2')).status).toBe(404);
    const fine = await engine.api('POST', '/api/events', {
      customerId: 'amount-2',
      type: 'order.placed',
      data: { amount: '19.99' },
    });
    expect(fine.status).toBe(202);
  });

  it('keeps a stored customer as it was when an update is refused', async () => {
    const created = await engine.api('PUT', '/api/customers/kept-1', { name: 'Kept', tags: ['vip'] });
    expect(created.status).toBe(201);
    const deep = await post(
      '/api/customers/kept-1',
      `{"attributes":${nested(200)}}`,
      'application/json',
      'PUT',
    );
    expect(deep.status).toBe(400);
    const plain = await post(
      '/api/customers/kept-1',
      JSON.stringify({ name: 'Changed' }),
      'text/plain',
      'PUT',
    );
    expect(plain.status).toBe(415);
    const after = await engine.api('GET', '/api/customers/kept-1');
    expect(after.body).toMatchObject({ name: 'Kept', tags: ['vip'] });
  });

  it('keeps taking YAML on the workflow routes, labelled as YAML or not', async () => {
    const yaml = workflow.replace('id: roles', 'id: yaml-types').replace('name: Roles', 'name: Types');
    for (const type of ['application/yaml', 'text/yaml', 'application/x-yaml', 'text/plain', null]) {
      const r = await post('/api/workflows/validate', yaml, type);
      expect(r, String(type)).toMatchObject({ status: 200, body: { valid: true } });
    }
    expect((await post('/api/workflows', yaml, 'application/yaml')).status).toBe(201);
  });
});

describe('requests Node refuses before the app sees them', () => {
  it('answers headers over the limit with 431 and the JSON error body', async () => {
    const res = await fetch(`${engine.url}/api/workflows`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'x-padding': 'x'.repeat(20_000) },
    });
    expect(res.status).toBe(431);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('headers_too_large');
    expect(body.error.message).toMatch(/larger than 16384 bytes/);
    // The server goes on serving.
    expect((await engine.api('GET', '/health', undefined, { key: null })).status).toBe(200);
  });
});
