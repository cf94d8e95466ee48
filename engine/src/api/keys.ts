import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { notFound } from '../errors.ts';
import { insertApiKey, listApiKeys, revokeApiKey } from '../store/api-keys.ts';
import { type AppEnv, ROLES, type Role } from './app-env.ts';
import { hashKey, requires } from './auth.ts';
import { bodyShape, readJson } from './body.ts';

// Staff are people (their scope is who they are): a key is admin, operator, viewer or ingest.
export const keyBody = bodyShape<{ name: string; role: Role }>({
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    role: { type: 'string', enum: ROLES.filter((r) => r !== 'staff') },
  },
  required: ['name', 'role'],
  additionalProperties: false,
});

/** API keys for machines: shown once, stored hashed. */
export const keysApi = new Hono<AppEnv>()
  .use(requires('keys:manage'))
  .get('/', async (c) => c.json({ keys: await listApiKeys(c.var.services.db) }))
  .post('/', async (c) => {
    const { name, role } = keyBody(await readJson(c));
    const key = `tend_${randomBytes(24).toString('base64url')}`;
    const id = await insertApiKey(
      c.var.services.db,
      {
        name,
        role,
        hash: hashKey(key),
        prefix: key.slice(0, 9),
      },
      c.var.services.now(),
    );
    return c.json({ id, name, role, key }, 201);
  })
  .delete('/:id', async (c) => {
    const id = c.req.param('id');
    const ok =
      /^[0-9a-f-]{36}$/.test(id) && (await revokeApiKey(c.var.services.db, id, c.var.services.now()));
    if (!ok) throw notFound(`key "${id}"`);
    c.var.services.apiKeys.forget(id);
    return c.json({ id, revoked: true });
  });
