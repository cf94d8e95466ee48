import { sql } from 'kysely';
import type { Db } from './db.ts';

/** A person who signs in to the editor (no password hash: that never leaves this module's callers). */
export interface UserRow {
  id: string;
  email: string;
  name: string | null;
  role: string;
  team: string | null;
  teamLead: boolean;
  createdAt: Date;
}

/** The columns a UserRow is made of. */
const USER_COLUMNS = ['id', 'email', 'name', 'role', 'team', 'team_lead', 'created_at'] as const;

export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('disabled_at', 'is', null)
    .executeTakeFirstOrThrow();
  return row.n;
}

/** Inserts a user; null when the email is taken (emails are unique without regard to case). */
export async function insertUser(
  db: Db,
  u: {
    email: string;
    name: string | null;
    role: string;
    passwordHash: string;
    team?: string | null;
    teamLead?: boolean;
  },
  now: Date,
): Promise<UserRow | null> {
  const row = await db
    .insertInto('users')
    .values({
      email: u.email,
      name: u.name,
      role: u.role,
      password_hash: u.passwordHash,
      created_at: now,
      team: u.team ?? null,
      team_lead: u.teamLead ?? false,
    })
    .onConflict((oc) => oc.expression(sql`lower(email)`).doNothing())
    .returning(USER_COLUMNS)
    .executeTakeFirst();
  return row ? toUser(row) : null;
}

/**
 * Inserts the first user only while there is none, in one statement, so two people racing to
 * create the first admin cannot both succeed.
 */
export async function insertFirstUser(
  db: Db,
  u: { email: string; name: string | null; role: string; passwordHash: string },
  now: Date,
): Promise<UserRow | null> {
  const r = await sql<{
    id: string;
    email: string;
    name: string | null;
    role: string;
    team: string | null;
    team_lead: boolean;
    created_at: Date;
  }>`
    INSERT INTO users (email, name, role, password_hash, created_at)
    SELECT ${u.email}, ${u.name}, ${u.role}, ${u.passwordHash}, ${now}::timestamptz
    WHERE NOT EXISTS (SELECT 1 FROM users)
    RETURNING id, email, name, role, team, team_lead, created_at`.execute(db);
  const row = r.rows[0];
  return row ? toUser(row) : null;
}

/** The active user with this email, with the stored password hash to check against. */
export async function findUserForSignIn(
  db: Db,
  email: string,
): Promise<(UserRow & { passwordHash: string }) | null> {
  const row = await db
    .selectFrom('users')
    .select([...USER_COLUMNS, 'password_hash'])
    .where(sql`lower(email)`, '=', email.toLowerCase())
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  return row ? { ...toUser(row), passwordHash: row.password_hash } : null;
}

export async function listUsers(db: Db): Promise<UserRow[]> {
  const rows = await db
    .selectFrom('users')
    .select(USER_COLUMNS)
    .where('disabled_at', 'is', null)
    .orderBy('created_at')
    .execute();
  return rows.map(toUser);
}

/** Disables a user (kept for the history of who changed what) and ends their sessions. */
export async function disableUser(db: Db, id: string, now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('users')
      .set({ disabled_at: now })
      .where('id', '=', id)
      .where('disabled_at', 'is', null)
      .executeTakeFirst();
    await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
    return Number(r.numUpdatedRows) > 0;
  });
}

/**
 * The display names of the people these references (user ids or emails, as a customer's `owner`
 * holds them) point to; references to nobody, or to someone without a name, are left out.
 */
export async function displayNames(db: Db, refs: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (refs.length === 0) return out;
  const lower = refs.map((r) => r.toLowerCase());
  const rows = await db
    .selectFrom('users')
    .select(['id', 'email', 'name'])
    .where('name', 'is not', null)
    .where((eb) => eb.or([eb(sql`id::text`, 'in', refs), eb(sql`lower(email)`, 'in', lower)]))
    .execute();
  for (const ref of refs) {
    const row = rows.find((r) => r.id === ref || r.email.toLowerCase() === ref.toLowerCase());
    if (row?.name) out.set(ref, row.name);
  }
  return out;
}

/** The ids and emails of a team's active members (who its lead answers for). */
export async function teamMembers(db: Db, team: string): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'email'])
    .where('team', '=', team)
    .where('disabled_at', 'is', null)
    .execute();
  return rows.flatMap((r) => [r.id, r.email]);
}

function toUser(r: {
  id: string;
  email: string;
  name: string | null;
  role: string;
  team: string | null;
  team_lead: boolean;
  created_at: Date;
}): UserRow {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    team: r.team,
    teamLead: r.team_lead,
    createdAt: r.created_at,
  };
}
