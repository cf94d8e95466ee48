import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../store/db.ts';
import { deleteExpiredSessions, insertSession } from '../store/sessions.ts';

/** The session cookie's name; its value is a random token, stored only as a hash. */
export const SESSION_COOKIE = 'tend_session';
/** Writes from a signed-in browser must echo the session's CSRF token in this header. */
export const CSRF_HEADER = 'x-csrf-token';
/** A session lasts at most a week, and ends after a day without use. */
export const SESSION_MAX_MS = 7 * 24 * 3600 * 1000;
export const SESSION_IDLE_MS = 24 * 3600 * 1000;

export const sessionId = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Starts a session for a user at `now` (the engine's time, which also decides when it ends): the
 * token for the cookie and the CSRF token for the page.
 */
export async function openSession(
  db: Db,
  userId: string,
  now: Date,
): Promise<{ token: string; csrf: string }> {
  const token = randomBytes(32).toString('base64url');
  const csrf = randomBytes(24).toString('base64url');
  await deleteExpiredSessions(db, SESSION_IDLE_MS, now);
  await insertSession(
    db,
    { id: sessionId(token), userId, csrf, expiresAt: new Date(now.getTime() + SESSION_MAX_MS) },
    now,
  );
  return { token, csrf };
}
