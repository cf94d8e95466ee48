import { type Selectable, sql } from 'kysely';
import type { Db } from './db.ts';
import type { RunsTable } from './schema.ts';

/*
 * The records explain reads about one customer: their runs with how each began, the history
 * entries that say why things happened, and the events a trigger could have started on. They are
 * views for explain (camelCase, only what it reads), built from the tables' rows.
 */

export interface RunRecord {
  id: string;
  workflowId: string;
  version: number;
  key: string | null;
  status: string;
  state: string;
  phase: string;
  step: number | null;
  awaiting: string | null;
  outcome: string | null;
  driver: string | null;
  startedAt: Date;
  endedAt: Date | null;
  /** The event that started it (run.started's eventId), if one did. */
  startEventId: string | null;
}

type RunColumn =
  | 'id'
  | 'workflow_id'
  | 'version'
  | 'key'
  | 'status'
  | 'state'
  | 'phase'
  | 'step'
  | 'awaiting'
  | 'outcome'
  | 'driver'
  | 'started_at'
  | 'ended_at';

export async function runsOfCustomer(db: Db, customerId: string, workflowId?: string): Promise<RunRecord[]> {
  // The table's own column types, and how the run began (a subquery on its history).
  const rows = await sql<Pick<Selectable<RunsTable>, RunColumn> & { event_id: string | null }>`
    SELECT r.id, r.workflow_id, r.version, r.key, r.status, r.state, r.phase, r.step, r.awaiting, r.outcome,
      r.driver, r.started_at, r.ended_at,
      (SELECT h.detail->>'eventId' FROM run_history h WHERE h.run_id = r.id AND h.type = 'run.started' LIMIT 1) AS event_id
    FROM runs r WHERE r.customer_id = ${customerId} ${workflowId ? sql`AND r.workflow_id = ${workflowId}` : sql``}
    ORDER BY r.started_at DESC LIMIT 200`.execute(db);
  return rows.rows.map((r) => ({
    id: r.id,
    workflowId: r.workflow_id,
    version: r.version,
    key: r.key,
    status: r.status,
    state: r.state,
    phase: r.phase,
    step: r.step,
    awaiting: r.awaiting,
    outcome: r.outcome,
    driver: r.driver,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    startEventId: r.event_id,
  }));
}

export interface HistoryRecord {
  /** run_history row id (with the entry's position inside it when it followed another). */
  id: string;
  n: number;
  runId: string;
  at: Date;
  type: string;
  state: string | null;
  step: string | null;
  detail: Record<string, unknown> | null;
}

/** The history entries of these runs that explain something, oldest first. */
export async function telling(db: Db, runIds: string[]): Promise<HistoryRecord[]> {
  if (runIds.length === 0) return [];
  const rows = await sql<{
    id: string;
    n: number;
    run_id: string;
    at: Date;
    type: string;
    state: string | null;
    step: string | null;
    detail: Record<string, unknown> | null;
  }>`
    SELECT id, n, run_id, at, type, state, step, detail FROM run_history_entries
    WHERE run_id = ANY(${runIds}::uuid[]) AND type IN ('goal.reached', 'step.failed', 'step.retry', 'step.deferred',
      'step.done', 'state.entered', 'timer.set', 'run.held', 'run.migrated', 'run.ended', 'run.failed', 'event.matched',
      'condition.error')
    ORDER BY id, n`.execute(db);
  return rows.rows.map((r) => ({
    id: String(r.id),
    n: Number(r.n),
    runId: r.run_id,
    at: r.at,
    type: r.type,
    state: r.state,
    step: r.step,
    detail: r.detail,
  }));
}

export interface EventRecord {
  seq: string;
  id: string;
  type: string;
  data: Record<string, unknown>;
  occurredAt: Date;
  receivedAt: Date;
}

/** The customer's latest events of these types, newest first. */
export async function eventsOfTypes(
  db: Db,
  customerId: string,
  types: string[],
  limit: number,
): Promise<EventRecord[]> {
  if (types.length === 0) return [];
  const rows = await db
    .selectFrom('events')
    .select(['seq', 'id', 'type', 'data', 'occurred_at', 'received_at'])
    .where('customer_id', '=', customerId)
    .where('type', 'in', types)
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    seq: String(r.seq),
    id: r.id,
    type: r.type,
    data: r.data as Record<string, unknown>,
    occurredAt: r.occurred_at,
    receivedAt: r.received_at,
  }));
}

/** When a workflow was first published (its audit record), to tell events that came before. */
export async function firstPublished(db: Db, workflowId: string): Promise<{ at: Date; id: string } | null> {
  const row = await db
    .selectFrom('audit_log')
    .select(['at', 'id'])
    .where('entity', '=', 'workflow')
    .where('entity_id', '=', workflowId)
    .where('action', '=', 'publish')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row ? { at: row.at, id: String(row.id) } : null;
}

/** The times a workflow was paused, from its audit records, with what its resume decided. */
export async function pauseWindows(
  db: Db,
  workflowId: string,
): Promise<{ from: Date; to: Date | null; admit: boolean | null; auditId: string }[]> {
  const rows = await db
    .selectFrom('audit_log')
    .select(['id', 'at', 'action', 'detail'])
    .where('entity', '=', 'workflow')
    .where('entity_id', '=', workflowId)
    .where('action', 'in', ['pause', 'resume'])
    .orderBy('id')
    .execute();
  const out: { from: Date; to: Date | null; admit: boolean | null; auditId: string }[] = [];
  for (const r of rows) {
    if (r.action === 'pause') out.push({ from: r.at, to: null, admit: null, auditId: String(r.id) });
    const open = out.at(-1);
    if (r.action === 'resume' && open && open.to === null) {
      open.to = r.at;
      open.admit = (r.detail as { admit?: boolean } | null)?.admit ?? null;
      open.auditId = String(r.id);
    }
  }
  return out;
}
