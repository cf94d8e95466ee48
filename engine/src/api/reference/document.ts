import type { JsonSchema, RouteDoc, RouteDocs, RouteParameter } from '@tend/plugin-sdk';
import { READ_AFTER_HEADER, READ_FROM_HEADER, READ_POSITION_HEADER } from '../replica-reads.ts';

/** Routes described by one owner (the engine, or a plugin), at a base path. */
export interface DescribedRoutes {
  /** The tag they are listed under unless the route's own path says better (engine routes). */
  owner: string;
  /** Prepended to each described path: `/api/<prefix>` for a plugin's API, '' otherwise. */
  base: string;
  docs: RouteDocs;
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** The one error body of every 4xx (server/app.ts#toResponse). */
export const errorBodySchema: JsonSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: {
          type: 'string',
          description: 'stable, for programs: bad_request, unauthorized, forbidden, not_found…',
        },
        message: { type: 'string', description: 'for people: what is wrong and where' },
        details: { description: 'more about the problem, when there is more' },
      },
      required: ['code', 'message'],
    },
    errors: {
      type: 'array',
      description: 'invalid workflows (422): each issue with its line and column',
      items: {
        type: 'object',
        properties: {
          path: { type: 'string' },
          line: { type: 'integer' },
          column: { type: 'integer' },
          message: { type: 'string' },
        },
      },
    },
  },
  required: ['error'],
};

/** Hono's `/customers/:id{[a-z]+}` as OpenAPI's `/customers/{id}`. */
export const openApiPath = (honoPath: string): string =>
  honoPath.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?\??/g, '{$1}');

const joinPath = (base: string, path: string) => (path === '/' && base ? base : `${base}${path}`);

/** Splits `"POST /:id/publish"` into method and path; a malformed key is a programming error. */
export function routeKey(key: string): { method: string; path: string } {
  const match = /^([A-Z]+) (\/\S*)$/.exec(key);
  if (!match?.[1] || !match[2] || !METHODS.has(match[1]))
    throw new Error(`route description "${key}": write "<METHOD> <path>", e.g. "GET /:id"`);
  return { method: match[1], path: match[2] };
}

/**
 * The OpenAPI 3.1 document of the described routes. Every operation states who may call it (the
 * security requirement names the permission, as OpenAPI 3.1 allows for non-OAuth schemes) and
 * answers its 4xx in the one error shape.
 */
export function openApiDocument(
  groups: DescribedRoutes[],
  info: { version: string },
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const tags = new Set<string>();
  for (const group of groups) {
    for (const [key, doc] of Object.entries(group.docs)) {
      const { method, path } = routeKey(key);
      const full = joinPath(group.base, path);
      const at = openApiPath(full);
      const tag = group.owner === 'engine' ? engineTag(full) : group.owner;
      tags.add(tag);
      const item = paths[at] ?? {};
      paths[at] = item;
      const verb = method.toLowerCase();
      if (item[verb]) throw new Error(`${method} ${at} is described twice`);
      item[verb] = operation(method, full, doc, tag);
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tend HTTP API',
      version: info.version,
      description:
        'The HTTP API of Tend: the engine’s routes and those of the installed plugins. Send an API key ' +
        '(`Authorization: Bearer <key>`) or sign in (the editor’s session cookie; writes then carry ' +
        '`X-CSRF-Token`). Each operation names the permission it needs; roles are bundles of them ' +
        '(admin, operator, viewer, staff, ingest). Every 4xx answers `{ "error": { "code", "message" } }`.',
    },
    servers: [{ url: '/' }],
    tags: [...tags].sort().map((name) => ({ name })),
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description:
            'An API key (`TEND_API_KEY`, or one made with `POST /api/keys`): `Authorization: Bearer <key>`.',
        },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'tend_session',
          description:
            'A signed-in person (`POST /api/session`). Writes also send the session’s CSRF token in `X-CSRF-Token`.',
        },
      },
      schemas: { Error: errorBodySchema },
      parameters: {
        ReadAfter: {
          name: READ_AFTER_HEADER,
          in: 'header',
          required: false,
          description:
            `With a read replica (\`DATABASE_READ_URL\`): the \`${READ_POSITION_HEADER}\` of an earlier answer. ` +
            'Reads that may lag are answered by the replica only once it holds everything that answer showed, ' +
            'else by the primary, so nothing you saw goes backwards. A value Tend did not give is a 400.',
          schema: { type: 'string', pattern: '^[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}$', examples: ['0/16B3748'] },
        },
      },
      headers: {
        ReadPosition: {
          description: `With a read replica: the database position this answer reflects; send it back as \`${READ_AFTER_HEADER}\`.`,
          schema: { type: 'string' },
        },
        ReadFrom: {
          description: 'With a read replica, on reads that may lag: which database answered.',
          schema: { type: 'string', enum: ['primary', 'replica'] },
        },
      },
      responses: {
        Error: {
          description: 'Bad input, no or wrong credentials, not allowed, not found, conflict, too large',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    },
  };
}

/** Every route under /api passes through the replica reads (api/replica-reads.ts); plugins' public pages do not. */
const viaApi = (path: string) => path.startsWith('/api/');

const REPLICA_HEADERS = {
  [READ_POSITION_HEADER]: { $ref: '#/components/headers/ReadPosition' },
  [READ_FROM_HEADER]: { $ref: '#/components/headers/ReadFrom' },
};

/** The engine's routes are listed by their resource: `/api/workflows/:id/live` under workflows. */
const engineTag = (path: string) => path.split('/')[2] || 'api';

function operation(method: string, path: string, doc: RouteDoc, tag: string): Record<string, unknown> {
  const parameters = [
    ...pathParameters(method, path, doc),
    ...queryParameters(doc.query ?? {}),
    ...(viaApi(path) ? [{ $ref: '#/components/parameters/ReadAfter' }] : []),
  ];
  const secured = doc.access !== 'public';
  const scopes = doc.access === 'public' || doc.access === 'signed-in' ? [] : [doc.access];
  return {
    operationId: operationId(method, path),
    tags: [tag],
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(doc.body
      ? {
          requestBody: {
            required: doc.body.required ?? true,
            ...(doc.body.description ? { description: doc.body.description } : {}),
            content: { [doc.body.contentType ?? 'application/json']: { schema: doc.body.schema } },
          },
        }
      : {}),
    responses: {
      ...Object.fromEntries(
        Object.entries(doc.responses).map(([status, r]) => [
          status,
          {
            description: r.description,
            ...(viaApi(path) && status.startsWith('2') ? { headers: REPLICA_HEADERS } : {}),
            ...(r.schema || r.contentType
              ? { content: { [r.contentType ?? 'application/json']: r.schema ? { schema: r.schema } : {} } }
              : {}),
          },
        ]),
      ),
      '4XX': { $ref: '#/components/responses/Error' },
    },
    security: secured ? [{ apiKey: scopes }, { session: scopes }] : [],
    'x-tend-access': doc.access,
    ...(doc.ownCustomers ? { 'x-tend-own-customers': true } : {}),
  };
}

function pathParameters(method: string, path: string, doc: RouteDoc) {
  const names = [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1] as string);
  for (const name of Object.keys(doc.params ?? {})) {
    if (!names.includes(name))
      throw new Error(`${method} ${path}: describes a path parameter "${name}" it does not have`);
  }
  return names.map((name) => parameter(name, 'path', { ...doc.params?.[name], required: true }));
}

const queryParameters = (query: Record<string, RouteParameter>) =>
  Object.entries(query).map(([name, p]) => parameter(name, 'query', p));

function parameter(name: string, where: 'path' | 'query', p: RouteParameter) {
  return {
    name,
    in: where,
    required: p.required ?? false,
    ...(p.description ? { description: p.description } : {}),
    schema: p.schema ?? { type: 'string' },
  };
}

const operationId = (method: string, path: string) =>
  `${method.toLowerCase()}${path
    .split('/')
    .filter(Boolean)
    .map((part) => {
      const word = part.replace(/^:/, 'by-').replace(/\{[^}]*\}/, '');
      return word
        .split(/[^A-Za-z0-9]+/)
        .filter(Boolean)
        .map((w) => w[0]?.toUpperCase() + w.slice(1))
        .join('');
    })
    .join('')}`;
