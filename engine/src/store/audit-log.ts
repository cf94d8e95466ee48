import type { Db } from './db.ts';

export interface AuditEntry {
  actor: string;
  action: string;
  entity: 'customer' | 'segment' | 'workflow' | 'key' | string;
  entityId: string;
  detail?: Record<string, unknown> | null;
}

/** Who changed what, when (`now`, the engine's time): appended in the same transaction as the change. */
export async function audit(db: Db, entries: AuditEntry[], now: Date): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto('audit_log')
    .values(
      entries.map((e) => ({
        at: now,
        actor: e.actor,
        action: e.action,
        entity: e.entity,
        entity_id: e.entityId,
        detail: e.detail ? JSON.stringify(e.detail) : null,
      })),
    )
    .execute();
}

export interface AuditQuery {
  entity?: string;
  entityId?: string;
  actor?: string;
  before?: string;
  limit: number;
}

export async function auditTrail(db: Db, q: AuditQuery) {
  return db
    .selectFrom('audit_log')
    .select(['id', 'at', 'actor', 'action', 'entity', 'entity_id as entityId', 'detail'])
    .$if(q.entity !== undefined, (b) => b.where('entity', '=', q.entity as string))
    .$if(q.entityId !== undefined, (b) => b.where('entity_id', '=', q.entityId as string))
    .$if(q.actor !== undefined, (b) => b.where('actor', '=', q.actor as string))
    .$if(q.before !== undefined, (b) => b.where('id', '<', q.before as string))
    .orderBy('id', 'desc')
    .limit(q.limit)
    .execute();
}
