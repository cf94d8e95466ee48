import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { Kysely } from 'kysely';

export type { Context, MiddlewareHandler } from 'hono';
export { Hono } from 'hono';
export { bodyLimit } from 'hono/body-limit';

/** What a caller may do; roles are fixed bundles of these (README, HTTP API). */
export type Permission =
  | 'read'
  | 'workflows:write'
  | 'workflows:publish'
  | 'events:ingest'
  | 'customers:write'
  | 'customers:erase'
  | 'keys:manage'
  | 'users:manage';

/** Who is calling a plugin's API route: an API key's name, or a signed-in person. */
export interface Caller {
  name: string;
  role: string;
  user?: { id: string; email: string; name: string | null };
  /**
   * A staff member's owner scope: the owner names (their id and email) whose customers, tasks
   * and complaints they may see. Null: they see everyone's. Routes that keep to it say so with
   * `requires(permission, { ownCustomers: true })`; every other route refuses such callers.
   */
  scope: string[] | null;
}

/**
 * The variables the host sets on every request it hands a plugin's routes: the authenticated
 * caller and what they may do. On public routes the caller is null unless the request carries a
 * valid API key or session (a wrong one is refused with 401 before the route runs).
 */
export type PluginEnv = {
  Variables: {
    caller: Caller | null;
    can: (permission: Permission) => boolean;
    /** Set by the host: see `readsThatMayLag`. */
    // biome-ignore lint/suspicious/noExplicitAny: each plugin's database has its own tables
    lagTolerantDb?: () => Promise<Kysely<any>>;
  };
};

/**
 * The database for a read that tolerates a little lag (results, dashboards, exports): the host's
 * read replica (`DATABASE_READ_URL`) when it has replayed what this caller has already seen, in
 * the plugin's schema; else `db` (the plugin's own, `ctx.db`). Never for a read that decides a
 * write.
 */
export async function readsThatMayLag<DB>(c: Context<PluginEnv>, db: Kysely<DB>): Promise<Kysely<DB>> {
  const choose = c.var.lagTolerantDb;
  return choose ? ((await choose()) as Kysely<DB>) : db;
}

/**
 * The one error type of HTTP routes: the host answers `{error: {code, message, details?}}` with
 * `status`. Anything else a route throws is a 500 (and a bug).
 */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** True for HttpErrors, also across copies of this package (duck-typed on purpose). */
export function isHttpError(value: unknown): value is HttpError {
  return (
    value instanceof HttpError ||
    (typeof value === 'object' &&
      value !== null &&
      (value as { name?: unknown }).name === 'HttpError' &&
      typeof (value as { status?: unknown }).status === 'number' &&
      typeof (value as { code?: unknown }).code === 'string')
  );
}

/**
 * Answers 403 unless the caller may do `permission` (401 on a public route). A staff member
 * (`caller.scope`) passes only routes that keep to their scope and say so (`ownCustomers`).
 */
export const requires = (
  permission: Permission,
  options: { ownCustomers?: boolean } = {},
): MiddlewareHandler<PluginEnv> =>
  createMiddleware<PluginEnv>(async (c, next) => {
    const caller = c.var.caller;
    if (!caller) throw new HttpError(401, 'unauthorized', 'sign in, or send an API key');
    const who = caller.user ? `${caller.role} ${caller.name}` : `${caller.role} key "${caller.name}"`;
    if (!c.var.can(permission)) {
      throw new HttpError(403, 'forbidden', `the ${who} may not do this (needs ${permission})`);
    }
    if (caller.scope && !options.ownCustomers) {
      throw new HttpError(
        403,
        'forbidden',
        `the ${who} sees only their own customers, tasks and complaints: this is none of them`,
      );
    }
    await next();
  });

/** Whether a caller may see what `owner` owns (a customer's owner, a task's assignee). */
export const inScope = (caller: Caller, owner: string | null | undefined): boolean =>
  !caller.scope || (!!owner && caller.scope.includes(owner));

/** The caller of an API route (never null behind `requires`). */
export function callerOf(c: Context<PluginEnv>): Caller {
  const caller = c.var.caller;
  if (!caller) throw new HttpError(401, 'unauthorized', 'sign in, or send an API key');
  return caller;
}
