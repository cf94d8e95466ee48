import { describe, expect, it } from 'vitest';
import { openApiDocument, openApiPath, routeKey } from './document.ts';

describe('openApiPath', () => {
  it('writes Hono parameters, patterned or optional, the OpenAPI way', () => {
    expect(openApiPath('/api/customers/:id/explain')).toBe('/api/customers/{id}/explain');
    expect(openApiPath('/api/x/:name{[a-z]+}/:n?')).toBe('/api/x/{name}/{n}');
    expect(openApiPath('/api/customers/bulk/:id/export.csv')).toBe('/api/customers/bulk/{id}/export.csv');
  });
});

describe('routeKey', () => {
  it('refuses keys that are not "<METHOD> <path>"', () => {
    expect(routeKey('POST /:id/publish')).toEqual({ method: 'POST', path: '/:id/publish' });
    expect(() => routeKey('post /x')).toThrow(/<METHOD> <path>/);
    expect(() => routeKey('FETCH /x')).toThrow(/<METHOD> <path>/);
    expect(() => routeKey('GET x')).toThrow(/<METHOD> <path>/);
  });
});

describe('openApiDocument', () => {
  const document = openApiDocument(
    [
      {
        owner: 'engine',
        base: '',
        docs: {
          'PUT /api/things/:id': {
            summary: 'Put a thing',
            access: 'customers:write',
            params: { id: { description: 'its id' } },
            query: { dry: { schema: { type: 'boolean' } } },
            body: { schema: { type: 'object', required: ['name'] } },
            responses: { 200: { description: 'Stored', schema: { type: 'object' } } },
          },
        },
      },
      {
        owner: 'shop',
        base: '/api/shop',
        docs: {
          'GET /': {
            summary: 'List',
            access: 'signed-in',
            ownCustomers: true,
            responses: { 200: { description: 'ok' } },
          },
        },
      },
      {
        owner: 'shop',
        base: '',
        docs: {
          'GET /p/:token': {
            summary: 'A page',
            access: 'public',
            responses: { 200: { description: 'The page', contentType: 'text/html' } },
          },
        },
      },
    ],
    { version: '1.2.3' },
  ) as { paths: Record<string, Record<string, Record<string, unknown>>>; info: { version: string } };

  it('joins plugin prefixes, converts parameters and keeps the request schema as given', () => {
    expect(Object.keys(document.paths)).toEqual(['/api/shop', '/api/things/{id}', '/p/{token}']);
    const put = document.paths['/api/things/{id}']?.put;
    expect(put?.parameters).toEqual([
      { name: 'id', in: 'path', required: true, description: 'its id', schema: { type: 'string' } },
      { name: 'dry', in: 'query', required: false, schema: { type: 'boolean' } },
      { $ref: '#/components/parameters/ReadAfter' },
    ]);
    expect(put?.requestBody).toEqual({
      required: true,
      content: { 'application/json': { schema: { type: 'object', required: ['name'] } } },
    });
    expect(put?.tags).toEqual(['things']);
    expect(document.paths['/api/shop']?.get?.tags).toEqual(['shop']);
    expect(document.info.version).toBe('1.2.3');
  });

  it('names the permission in the security requirement; public routes need none', () => {
    expect(document.paths['/api/things/{id}']?.put?.security).toEqual([
      { apiKey: ['customers:write'] },
      { session: ['customers:write'] },
    ]);
    expect(document.paths['/api/shop']?.get?.security).toEqual([{ apiKey: [] }, { session: [] }]);
    expect(document.paths['/api/shop']?.get?.['x-tend-own-customers']).toBe(true);
    expect(document.paths['/p/{token}']?.get?.security).toEqual([]);
  });

  it('describes the replica headers on API routes, not on public pages', () => {
    const ok = (path: string) =>
      (document.paths[path]?.get?.responses as Record<string, { headers?: object }> | undefined)?.['200'];
    expect(Object.keys(ok('/api/shop')?.headers ?? {})).toEqual(['X-Tend-Read-Position', 'X-Tend-Read-From']);
    expect(document.paths['/api/shop']?.get?.parameters).toContainEqual({
      $ref: '#/components/parameters/ReadAfter',
    });
    expect(ok('/p/{token}')?.headers).toBeUndefined();
    expect(document.paths['/p/{token}']?.get?.parameters ?? []).not.toContainEqual({
      $ref: '#/components/parameters/ReadAfter',
    });
  });

  it('answers every 4xx in the one error shape', () => {
    for (const item of Object.values(document.paths))
      for (const op of Object.values(item))
        expect((op.responses as Record<string, unknown>)['4XX']).toEqual({
          $ref: '#/components/responses/Error',
        });
  });

  it('refuses a route described twice and a parameter the path does not have', () => {
    const twice = (base: string) => ({
      owner: 'x',
      base,
      docs: { 'GET /a': { summary: 's', access: 'read' as const, responses: {} } },
    });
    expect(() => openApiDocument([twice('/api'), twice('/api')], { version: '1' })).toThrow(
      /described twice/,
    );
    expect(() =>
      openApiDocument(
        [
          {
            owner: 'x',
            base: '',
            docs: { 'GET /a': { summary: 's', access: 'read', params: { id: {} }, responses: {} } },
          },
        ],
        { version: '1' },
      ),
    ).toThrow(/path parameter "id"/);
  });
});
