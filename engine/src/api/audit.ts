import { Hono } from 'hono';
import { badRequest } from '../errors.ts';
import { auditTrail } from '../store/audit-log.ts';
import type { AppEnv } from './app-env.ts';
import { requires } from './auth.ts';

/** Who changed which customer, segment or workflow, when: newest first, paged by `before`. */
export const auditApi = new Hono<AppEnv>().get('/', requires('read'), async (c) => {
  const q = c.req.query();
  const limit = q.limit === undefined ? 100 : Number(q.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw badRequest('limit must be a whole number from 1 to 1000');
  if (q.before !== undefined && !/^\d+$/.test(q.before)) throw badRequest('before is the id of an entry');
  const entries = await auditTrail(c.var.services.db, {
    limit,
    ...(q.entity ? { entity: q.entity } : {}),
    ...(q.entityId ? { entityId: q.entityId } : {}),
    ...(q.actor ? { actor: q.actor } : {}),
    ...(q.before ? { before: q.before } : {}),
  });
  return c.json({ entries, next: entries.length === limit ? (entries.at(-1)?.id ?? null) : null });
});
