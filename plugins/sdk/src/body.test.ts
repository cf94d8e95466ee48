import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { bodyShape, MAX_JSON_DEPTH, readJson, readOptionalJson } from './body.ts';
import { HttpError } from './http.ts';

const app = new Hono()
  .post('/json', async (c) => c.json({ got: await readJson(c) }))
  .post('/optional', async (c) => c.json({ got: (await readOptionalJson(c)) ?? null }));
app.onError((error, c) => {
  if (error instanceof HttpError)
    return c.json({ error: { code: error.code, message: error.message } }, error.status as 400);
  return c.json({ error: { code: 'internal', message: error.message } }, 500);
});

async function post(path: string, body: string | Uint8Array | undefined, type?: string) {
  const res = await app.request(path, {
    method: 'POST',
    ...(body === undefined ? {} : { body }),
    headers: type ? { 'content-type': type } : {},
  });
  return {
    status: res.status,
    body: (await res.json()) as { got?: unknown; error?: { code: string; message: string } },
  };
}

describe('reading JSON bodies', () => {
  it('reads JSON labelled as such, with or without a UTF-8 charset', async () => {
    expect(await post('/json', '{"a":[1]}', 'application/json')).toEqual({
      status: 200,
      body: { got: { a: [1] } },
    });
    expect((await post('/json', '{"a":1}', 'application/json; charset=UTF-8')).status).toBe(200);
    expect((await post('/json', '{"a":1}', 'application/merge-patch+json')).status).toBe(200);
  });

  it('refuses JSON sent as text/plain, unlabelled or in another charset with 415 naming the type', async () => {
    for (const type of [
      'text/plain;charset=UTF-8',
      undefined,
      'application/x-www-form-urlencoded',
      'application/jsonp',
    ]) {
      const r = await post('/json', '{"a":1}', type);
      expect(r.status, String(type)).toBe(415);
      expect(r.body.error?.message).toContain('Content-Type: application/json');
    }
    expect((await post('/json', '{"a":1}', 'application/json; charset=utf-16')).body.error?.message).toMatch(
      /charset=utf-16/,
    );
  });

  it('refuses a byte order mark and bytes that are not UTF-8, with 400', async () => {
    const bom = await post('/json', new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), 'application/json');
    expect(bom).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringMatching(/byte order mark/) } },
    });
    const latin1 = await post(
      '/json',
      new Uint8Array([0x22, 0x63, 0x61, 0x66, 0xe9, 0x22]),
      'application/json',
    );
    expect(latin1).toMatchObject({
      status: 400,
      body: { error: { message: 'the JSON body is not valid UTF-8 (near byte 6)' } },
    });
  });

  it('refuses nesting past the limit with 400 naming the limit and the place, before parsing', async () => {
    const deep = `{"customerId":"a","data":${'{"x":'.repeat(5000)}1${'}'.repeat(5000)}}`;
    const r = await post('/json', deep, 'application/json');
    expect(r.status).toBe(400);
    expect(r.body.error).toEqual({
      code: 'too_deep',
      message: `the JSON body nests deeper than ${MAX_JSON_DEPTH} levels at data.x.x.x…x.x.x (character 341)`,
    });
  });

  it('says what is wrong with an empty or broken body', async () => {
    expect((await post('/json', '', 'application/json')).body.error?.message).toMatch(/empty/);
    expect((await post('/json', '{"a":', 'application/json')).body.error?.message).toMatch(/not valid JSON/);
  });

  it('lets optional bodies be left out, with or without a Content-Type', async () => {
    expect(await post('/optional', undefined)).toEqual({ status: 200, body: { got: null } });
    expect(await post('/optional', '', 'text/plain')).toEqual({ status: 200, body: { got: null } });
    expect((await post('/optional', '{"a":1}', 'text/plain')).status).toBe(415);
  });
});

describe('bodyShape', () => {
  it('carries the very schema it checks with (the API reference describes bodies with it)', () => {
    const schema = { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] };
    const read = bodyShape<{ n: number }>(schema);
    expect(read.schema).toBe(schema);
    expect(read({ n: 1 })).toEqual({ n: 1 });
    expect(() => read({})).toThrow(/must have required property 'n'|n/);
  });
});
