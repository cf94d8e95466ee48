/** What a caller is allowed to be: fixed bundles of permissions (api/permissions.ts). */
export type Role = 'admin' | 'operator' | 'viewer' | 'ingest';
export const ROLES: readonly Role[] = ['admin', 'operator', 'viewer', 'ingest'];
