import { AppError, badRequest, conflict } from '../errors.ts';
import type { Db } from '../store/db.ts';
import { insertFirstUser, insertUser, type UserRow } from '../store/users.ts';
import { hashPassword, passwordProblem } from './passwords.ts';
import { ROLES, type Role } from './roles.ts';

export interface NewUser {
  email: string;
  name?: string | null;
  role: Role;
  password: string;
  /** Their team; `teamLead` makes them see (as staff) what the team's members own. */
  team?: string | null;
  teamLead?: boolean;
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** Creates a person who can sign in (used by `tend user add`, the users API and the first start). */
export async function createUser(
  db: Db,
  u: NewUser,
  now: Date,
  options: { first?: boolean } = {},
): Promise<UserRow> {
  const email = u.email.trim();
  if (!EMAIL.test(email) || email.length > 200) throw badRequest(`"${u.email}" is not an email address`);
  if (!ROLES.includes(u.role) || u.role === 'ingest') {
    throw badRequest('a person is an admin, an operator, a viewer or staff (ingest is for API keys)');
  }
  const problem = passwordProblem(u.password);
  if (problem) throw badRequest(problem);
  const row = {
    email,
    name: u.name?.trim() || null,
    role: u.role,
    passwordHash: await hashPassword(u.password),
    team: u.team?.trim() || null,
    teamLead: u.teamLead ?? false,
  };
  if (row.teamLead && !row.team) throw badRequest('a team lead needs a team: give team as well');
  if (options.first) {
    const created = await insertFirstUser(db, row, now);
    if (!created)
      throw new AppError(409, 'already_set_up', 'the first admin exists already: sign in instead');
    return created;
  }
  const created = await insertUser(db, row, now);
  if (!created) throw conflict(`a user with the email ${email} exists already`);
  return created;
}
