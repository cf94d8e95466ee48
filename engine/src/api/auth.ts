import { createHash, timingSafeEqual } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import { AppError } from '../errors.ts';
import type { AppEnv, Principal, Role } from '../server/services.ts';
import { findApiKey } from '../store/api-keys.ts';
import { can, type Permission } from './permissions.ts';

/** Keys are long random strings, so a plain SHA-256 is a safe way to store them. */
export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** Resolves `Authorization: Bearer <key>` to a principal, or answers 401. */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw new AppError(401, 'unauthorized', 'send an API key: Authorization: Bearer <key>');
  const key = match[1];
  const { config, db } = c.var.services;
  let principal: Principal | null = null;
  if (sameSecret(key, config.apiKey)) principal = { name: 'bootstrap', role: 'admin' };
  else {
    const found = await findApiKey(db, hashKey(key));
    if (found) principal = { name: found.name, role: found.role as Role };
  }
  if (!principal) throw new AppError(401, 'unauthorized', 'this API key is not valid (revoked or mistyped?)');
  c.set('principal', principal);
  await next();
});

/** Answers 403 unless the caller's role grants `permission`. */
export const requires = (permission: Permission) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const { role, name } = c.var.principal;
    if (!can(role, permission)) {
      throw new AppError(403, 'forbidden', `the ${role} key "${name}" may not do this (needs ${permission})`);
    }
    await next();
  });

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
