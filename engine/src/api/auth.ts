import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { ownerScope } from '../accounts/roles.ts';
import { CSRF_HEADER, SESSION_COOKIE, SESSION_IDLE_MS, sessionId } from '../accounts/sessions.ts';
import { AppError } from '../errors.ts';
import { findApiKey } from '../store/api-keys.ts';
import { findSession } from '../store/sessions.ts';
import { teamMembers } from '../store/users.ts';
import type { AppEnv, Principal, Role } from './app-env.ts';
import { can, type Permission } from './permissions.ts';

/** Keys are long random strings, so a plain SHA-256 is a safe way to store them. */
export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Resolves the caller: `Authorization: Bearer <key>` (machines), else the session cookie of a
 * signed-in person (the editor), whose writes must carry the session's CSRF token. Else 401.
 */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('authorization');
  const principal = header ? await fromKey(c, header) : await fromSession(c);
  c.set('principal', principal);
  await next();
});

/**
 * The caller of a public route, when the request carries credentials (a provider sending an API
 * key instead of a signature, say): null without any, 401 for wrong ones.
 */
export async function optionalPrincipal(c: Context<AppEnv>): Promise<Principal | null> {
  const header = c.req.header('authorization');
  if (header) return fromKey(c, header);
  return getCookie(c, SESSION_COOKIE) ? fromSession(c) : null;
}

async function fromKey(c: Context<AppEnv>, header: string): Promise<Principal> {
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw new AppError(401, 'unauthorized', 'send an API key: Authorization: Bearer <key>');
  const key = match[1];
  const { config, db } = c.var.services;
  if (sameSecret(key, config.apiKey)) return { name: 'bootstrap', role: 'admin', scope: null };
  const hash = hashKey(key);
  const now = c.var.services.now();
  let found = c.var.services.apiKeys.get(hash, now) ?? null;
  if (!found) {
    found = await findApiKey(db, hash, now);
    if (found) c.var.services.apiKeys.set(hash, found, now);
  }
  if (!found) throw new AppError(401, 'unauthorized', 'this API key is not valid (revoked or mistyped?)');
  const role = found.role as Role;
  return { name: found.name, role, scope: ownerScope(role, { name: found.name }) };
}

async function fromSession(c: Context<AppEnv>): Promise<Principal> {
  const token = getCookie(c, SESSION_COOKIE);
  if (!token) {
    throw new AppError(401, 'unauthorized', 'sign in, or send an API key: Authorization: Bearer <key>');
  }
  const session = await findSession(
    c.var.services.db,
    sessionId(token),
    SESSION_IDLE_MS,
    c.var.services.now(),
  );
  if (!session) throw new AppError(401, 'unauthorized', 'your session has ended: sign in again');
  if (!SAFE_METHODS.has(c.req.method) && !sameSecret(c.req.header(CSRF_HEADER) ?? '', session.csrf)) {
    throw new AppError(403, 'csrf', `a signed-in write needs the ${CSRF_HEADER} header of this session`);
  }
  const role = session.role as Role;
  const own = ownerScope(role, { id: session.userId, email: session.email, name: session.email });
  // A team lead answers for what the team's members own too.
  const team = own && session.leads ? await teamMembers(c.var.services.db, session.leads) : [];
  return {
    name: session.email,
    role,
    scope: own && [...new Set([...own, ...team])],
    user: {
      id: session.userId,
      email: session.email,
      name: session.name,
      csrf: session.csrf,
      sessionId: session.sessionId,
    },
  };
}

/**
 * Answers 403 unless the caller's role grants `permission`. A staff member (a caller with an
 * owner scope) passes only routes that say they keep to it (`ownCustomers`): every other route
 * refuses them, so a route added later cannot leak another's customers by forgetting the scope.
 */
export const requires = (permission: Permission, options: { ownCustomers?: boolean } = {}) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const { role, name, user, scope } = c.var.principal;
    const who = user ? `${role} ${name}` : `${role} key "${name}"`;
    if (!can(role, permission)) {
      throw new AppError(403, 'forbidden', `the ${who} may not do this (needs ${permission})`);
    }
    if (scope && !options.ownCustomers) {
      throw new AppError(
        403,
        'forbidden',
        `the ${who} sees only their own customers, tasks and complaints: this is none of them`,
      );
    }
    await next();
  });

/** Compares secrets in constant time. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
