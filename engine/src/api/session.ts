import type { Context } from 'hono';
import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { DUMMY_HASH, verifyPassword } from '../accounts/passwords.ts';
import { openSession, SESSION_COOKIE, SESSION_MAX_MS } from '../accounts/sessions.ts';
import { SignInThrottle } from '../accounts/throttle.ts';
import { createUser } from '../accounts/users.ts';
import { AppError } from '../errors.ts';
import { deleteSession } from '../store/sessions.ts';
import { countUsers, findUserForSignIn, type UserRow } from '../store/users.ts';
import type { AppEnv } from './app-env.ts';
import { bodyShape, readJson } from './body.ts';

export const credentials = bodyShape<{ email: string; password: string }>({
  type: 'object',
  properties: {
    email: { type: 'string', minLength: 1, maxLength: 200 },
    password: { type: 'string', minLength: 1, maxLength: 200 },
  },
  required: ['email', 'password'],
  additionalProperties: false,
});

export const firstAdmin = bodyShape<{ email: string; name?: string; password: string }>({
  type: 'object',
  properties: {
    email: { type: 'string', minLength: 1, maxLength: 200 },
    name: { type: 'string', maxLength: 200 },
    password: { type: 'string', minLength: 1, maxLength: 200 },
  },
  required: ['email', 'password'],
  additionalProperties: false,
});

const throttle = new SignInThrottle();

/**
 * Sign-in and setup take JSON only: a page on another site can post a form (and so sign a
 * victim into the attacker's account), but it cannot send application/json without CORS.
 */
const jsonOnly = createMiddleware<AppEnv>(async (c, next) => {
  if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) {
    throw new AppError(
      415,
      'unsupported_media_type',
      'send the body as JSON (Content-Type: application/json)',
    );
  }
  await next();
});

const publicUser = (u: Pick<UserRow, 'id' | 'email' | 'name' | 'role'>) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
});

/** Sets the httpOnly, SameSite=Strict session cookie (Secure when the request came over HTTPS). */
async function signIn(c: Context<AppEnv>, user: UserRow) {
  const { token, csrf } = await openSession(c.var.services.db, user.id, c.var.services.now());
  const https = new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: https,
    path: '/',
    maxAge: SESSION_MAX_MS / 1000,
  });
  return { user: publicUser(user), csrfToken: csrf };
}

/** Routes that work before anyone is signed in: sign-in and the first admin. */
export const signInApi = new Hono<AppEnv>()
  .get('/setup', async (c) => c.json({ needsSetup: (await countUsers(c.var.services.db)) === 0 }))
  .post('/setup', jsonOnly, async (c) => {
    const body = firstAdmin(await readJson(c));
    const user = await createUser(
      c.var.services.db,
      { email: body.email, name: body.name ?? null, role: 'admin', password: body.password },
      c.var.services.now(),
      { first: true },
    );
    return c.json(await signIn(c, user), 201);
  })
  .post('/session', jsonOnly, async (c) => {
    const { email, password } = credentials(await readJson(c));
    const wait = throttle.waitFor(email, c.var.services.now().getTime());
    if (wait > 0) {
      throw new AppError(
        429,
        'too_many_attempts',
        `too many failed sign-ins: try again in ${Math.ceil(wait / 60_000)} min`,
      );
    }
    const user = await findUserForSignIn(c.var.services.db, email.trim());
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok) {
      throttle.failed(email, c.var.services.now().getTime());
      throw new AppError(401, 'invalid_credentials', 'the email or the password is not right');
    }
    throttle.succeeded(email);
    return c.json(await signIn(c, user));
  });

/** Who is signed in (or which key is calling), and signing out. Behind authentication. */
export const sessionApi = new Hono<AppEnv>()
  .get('/', (c) => {
    const { name, role, user } = c.var.principal;
    return c.json({
      user: user ? { id: user.id, email: user.email, name: user.name, role } : null,
      key: user ? null : name,
      role,
      csrfToken: user?.csrf ?? null,
    });
  })
  .delete('/', async (c) => {
    const { user } = c.var.principal;
    if (user) await deleteSession(c.var.services.db, user.sessionId);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.json({ signedOut: true });
  });
