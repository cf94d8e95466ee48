import { sql } from 'kysely';
import type { Db } from './db.ts';

/** A customer as journeys see it (`customer` in CEL and templates). */
export interface CustomerView {
  id: string;
  attributes: Record<string, unknown>;
  tags: string[];
  timezone: string | null;
  createdAt: string;
  [field: string]: unknown;
}

export interface CustomerPatch {
  attributes?: Record<string, unknown>;
  tags?: string[];
  timezone?: string | null;
}

/** Creates customers that do not exist yet (an event for an unknown id creates its customer). */
export async function ensureCustomers(db: Db, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await sql`
    INSERT INTO customers (id) SELECT unnest(${ids}::text[]) ORDER BY 1
    ON CONFLICT (id) DO NOTHING`.execute(db);
}

/** Locks customers in id order (so concurrent lockers never deadlock) and reads them. */
export async function lockCustomers(db: Db, ids: string[]): Promise<Map<string, CustomerView>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('customers')
    .select(['id', 'attributes', 'tags', 'timezone', 'created_at'])
    .where('id', 'in', ids)
    .orderBy('id')
    .forUpdate()
    .execute();
  return new Map(rows.map((r) => [r.id, customerView(r)]));
}

export async function loadCustomers(db: Db, ids: string[]): Promise<Map<string, CustomerView>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('customers')
    .select(['id', 'attributes', 'tags', 'timezone', 'created_at'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, customerView(r)]));
}

/** Creates or updates a customer: attributes merge key by key, tags and time zone replace. */
export async function upsertCustomer(
  db: Db,
  id: string,
  patch: CustomerPatch,
): Promise<{ created: boolean }> {
  const attributes = JSON.stringify(patch.attributes ?? {});
  const row = await sql<{ created: boolean }>`
    INSERT INTO customers (id, attributes, tags, timezone)
    VALUES (${id}, ${attributes}::jsonb, ${patch.tags ?? []}::text[], ${patch.timezone ?? null})
    ON CONFLICT (id) DO UPDATE SET
      attributes = customers.attributes || excluded.attributes,
      tags = CASE WHEN ${patch.tags !== undefined} THEN excluded.tags ELSE customers.tags END,
      timezone = CASE WHEN ${patch.timezone !== undefined} THEN excluded.timezone ELSE customers.timezone END,
      updated_at = now()
    RETURNING (xmax = 0) AS created`.execute(db);
  return { created: row.rows[0]?.created ?? false };
}

export async function getCustomer(db: Db, id: string): Promise<CustomerView | null> {
  const views = await loadCustomers(db, [id]);
  return views.get(id) ?? null;
}

/** A customers row as journeys see it. */
export function customerView(r: {
  id: string;
  attributes: unknown;
  tags: string[];
  timezone: string | null;
  created_at: Date;
}): CustomerView {
  return {
    id: r.id,
    attributes: (r.attributes ?? {}) as Record<string, unknown>,
    tags: r.tags,
    timezone: r.timezone,
    createdAt: r.created_at.toISOString(),
  };
}
