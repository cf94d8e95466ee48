import type { Permission } from '@tend/plugin-sdk';
import type { Role } from './app-env.ts';

export type { Permission };

/** Roles are fixed bundles of permissions (named by the SDK: plugins' routes ask for them too). */
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
  // Sales and service people: read and change, but only what their own customers touch (routes
  // that can tell refuse them otherwise: api/auth.ts#requires).
  staff: ['read', 'customers:write'],
  // Machines that feed Tend: they send events and profiles, and read nothing back.
  ingest: ['events:ingest', 'customers:write'],
};

export const can = (role: Role, permission: Permission): boolean => GRANTS[role].includes(permission);
