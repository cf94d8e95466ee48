import type { Permission } from './http.ts';
import type { JsonSchema } from './json-schema.ts';

/*
 * How a route describes itself for the API reference (`GET /api/openapi.json`). The engine turns
 * these into an OpenAPI 3.1 document; its tests fail when a mounted route has no description or
 * a description names a route that does not exist. Request schemas should be the very objects the
 * route validates with (`bodyShape(schema)`), so the reference cannot drift from what is checked.
 */

/** Who may call a route: a signed-in caller with a permission, any signed-in caller, or anyone. */
export type RouteAccess = Permission | 'signed-in' | 'public';

/** A path or query parameter. */
export interface RouteParameter {
  description?: string;
  /** `{ type: 'string' }` unless given. */
  schema?: JsonSchema;
  /** Query parameters are optional unless marked; path parameters are always required. */
  required?: boolean;
}

/** One answer of a route: what it means and, where known, the shape of its body. */
export interface RouteResponse {
  description: string;
  schema?: JsonSchema;
  /** `application/json` unless given (a CSV download, a page, YAML). */
  contentType?: string;
}

export interface RouteDoc {
  summary: string;
  description?: string;
  access: RouteAccess;
  /** Staff members (owner-scoped callers) pass: the route keeps to their own customers. */
  ownCustomers?: boolean;
  /** Path parameters by name (`:id` in the route): a description and schema beyond a string. */
  params?: Record<string, RouteParameter>;
  query?: Record<string, RouteParameter>;
  body?: { schema: JsonSchema; contentType?: string; required?: boolean; description?: string };
  /** The success answers by status; the error answers (4xx, one shape) are added by the engine. */
  responses: Record<number, RouteResponse>;
}

/**
 * A sub-app's routes by `"<METHOD> <path>"`, the path as Hono writes it (`/:id/publish`): relative
 * to the prefix for a plugin's API (`/api/<prefix>`), as mounted for its public routes.
 */
export type RouteDocs = Record<string, RouteDoc>;
