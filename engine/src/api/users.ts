import { Hono } from 'hono';
import { createUser } from '../accounts/users.ts';
import { notFound } from '../errors.ts';
import { disableUser, listUsers } from '../store/users.ts';
import type { AppEnv, Role } from './app-env.ts';
import { requires } from './auth.ts';
import { bodyShape, readJson } from './body.ts';

export const userBody = bodyShape<{
  email: string;
  name?: string;
  role: Role;
  password: string;
  team?: string;
  teamLead?: boolean;
}>({
  type: 'object',
  properties: {
    email: { type: 'string', minLength: 1, maxLength: 200 },
    name: { type: 'string', maxLength: 200 },
    role: { type: 'string', enum: ['admin', 'operator', 'viewer', 'staff'] },
    password: { type: 'string', minLength: 1, maxLength: 200 },
    team: { type: 'string', minLength: 1, maxLength: 100 },
    teamLead: { type: 'boolean' },
  },
  required: ['email', 'role', 'password'],
  additionalProperties: false,
});

/** People who sign in to the editor (admin only). */
export const usersApi = new Hono<AppEnv>()
  .use(requires('users:manage'))
  .get('/', async (c) => c.json({ users: await listUsers(c.var.services.db) }))
  .post('/', async (c) => {
    const body = userBody(await readJson(c));
    const user = await createUser(
      c.var.services.db,
      { ...body, name: body.name ?? null },
      c.var.services.now(),
    );
    return c.json(user, 201);
  })
  .delete('/:id', async (c) => {
    const id = c.req.param('id');
    const ok = /^[0-9a-f-]{36}$/.test(id) && (await disableUser(c.var.services.db, id, c.var.services.now()));
    if (!ok) throw notFound(`user "${id}"`);
    return c.json({ id, disabled: true });
  });
