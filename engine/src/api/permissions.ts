import type { Role } from '../server/services.ts';

/** What a caller may do. Roles are fixed bundles of these. */
export type Permission =
  | 'read'
  | 'workflows:write'
  | 'workflows:publish'
  | 'events:ingest'
  | 'customers:write'
  | 'customers:erase'
  | 'keys:manage'
  | 'users:manage';

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: [
    'read',
    'workflows:write',
    'workflows:publish',
    'events:ingest',
    'customers:write',
    'customers:erase',
    'keys:manage',
    'users:manage',
  ],
  operator: ['read', 'workflows:write', 'workflows:publish', 'events:ingest', 'customers:write'],
  viewer: ['read'],
  // Machines that feed Tend: they send events and profiles, and read nothing back.
  ingest: ['events:ingest', 'customers:write'],
};

export const can = (role: Role, permission: Permission): boolean => GRANTS[role].includes(permission);
