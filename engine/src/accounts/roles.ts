/** What a caller is allowed to be: fixed bundles of permissions (api/permissions.ts). */
export type Role = 'admin' | 'operator' | 'viewer' | 'staff' | 'ingest';
export const ROLES: readonly Role[] = ['admin', 'operator', 'viewer', 'staff', 'ingest'];

/**
 * Who a staff member may see: the customers they own (by user id or email), and through them
 * those customers' tasks and complaints. Null for every other role: they see everyone.
 */
export function ownerScope(role: Role, who: { id?: string; email?: string; name: string }): string[] | null {
  if (role !== 'staff') return null;
  return [...new Set([who.id, who.email, who.name].filter((v): v is string => !!v))];
}
