import type { Db } from './db.ts';

/** A signed-in person as the API sees them, found by their session. */
export interface SessionUser {
  sessionId: string;
  csrf: string;
  userId: string;
  email: string;
  name: string | null;
  role: string;
  /** The team they lead, if they lead one. */
  leads: string | null;
}

export async function insertSession(
  db: Db,
  s: { id: string; userId: string; csrf: string; expiresAt: Date },
  now: Date,
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id: s.id,
      user_id: s.userId,
      csrf: s.csrf,
      expires_at: s.expiresAt,
      created_at: now,
      last_seen_at: now,
    })
    .execute();
}

/**
 * The live session with this id and its (active) user. A session idle for longer than `idleMs`
 * is over; a used one is marked seen at most once a minute.
 */
export async function findSession(
  db: Db,
  id: string,
  idleMs: number,
  now: Date,
): Promise<SessionUser | null> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select([
      's.id',
      's.csrf',
      's.last_seen_at',
      'u.id as user_id',
      'u.email',
      'u.name',
      'u.role',
      'u.team',
      'u.team_lead',
    ])
    .where('s.id', '=', id)
    .where('s.expires_at', '>', now)
    .where('s.last_seen_at', '>', new Date(now.getTime() - idleMs))
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  // Math.abs: a clock moved back (TEND_CLOCK_OFFSET, a test's) still marks the session seen.
  if (Math.abs(now.getTime() - row.last_seen_at.getTime()) > 60_000) {
    await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', id).execute();
  }
  return {
    sessionId: row.id,
    csrf: row.csrf,
    userId: row.user_id,
    email: row.email,
    name: row.name,
    role: row.role,
    leads: row.team_lead ? row.team : null,
  };
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

/** Removes sessions that can no longer be used (called now and then on sign-in). */
export async function deleteExpiredSessions(db: Db, idleMs: number, now: Date): Promise<void> {
  await db
    .deleteFrom('sessions')
    .where((eb) =>
      eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', new Date(now.getTime() - idleMs))]),
    )
    .execute();
}
