import { sql } from 'kysely';
import type { Db } from './db.ts';
import { run, type Statement, statement } from './pipeline.ts';

export interface WorkflowSummary {
  id: string;
  name: string;
  stage: string | null;
  publishedVersion: number | null;
  latestVersion: number;
  activeRuns: number;
  /** Set while the journey is paused: no one enters, customers are held before their next step. */
  pausedAt: Date | null;
  pausedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Creates the workflow's row, or refreshes its name and stage, and locks it for a new version. */
export async function lockOrCreateWorkflow(
  db: Db,
  id: string,
  name: string,
  stage: string | null,
  now: Date,
): Promise<void> {
  await db
    .insertInto('workflows')
    .values({ id, name, stage, published_version: null, created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('id').doUpdateSet({ name, stage, updated_at: now }))
    .execute();
  await db.selectFrom('workflows').select('id').where('id', '=', id).forUpdate().execute();
}

export async function setPublished(db: Db, id: string, version: number, now: Date): Promise<void> {
  await db
    .updateTable('workflows')
    .set({ published_version: version, published_at: now, updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function getWorkflow(db: Db, id: string): Promise<WorkflowSummary | null> {
  const rows = await summaries(db, id);
  return rows[0] ?? null;
}

/** Workflows in use, or with `archived` the archived ones. */
export async function listWorkflows(
  db: Db,
  options: { archived?: boolean } = {},
): Promise<WorkflowSummary[]> {
  return summaries(db, null, options.archived ?? false);
}

/** Archives a workflow (no new runs; running customers finish) or restores it; false if unknown. */
export async function setArchived(db: Db, id: string, archived: boolean, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('workflows')
    .set({ archived_at: archived ? now : null, updated_at: now })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

async function summaries(db: Db, id: string | null, archived = false): Promise<WorkflowSummary[]> {
  const rows = await db
    .selectFrom('workflows as w')
    .select([
      'w.id',
      'w.name',
      'w.stage',
      'w.published_version',
      'w.paused_at',
      'w.paused_by',
      'w.created_at',
      'w.updated_at',
      sql<number>`(SELECT max(version) FROM workflow_versions v WHERE v.workflow_id = w.id)`.as('latest'),
      sql<number>`(SELECT count(*)::int FROM runs r WHERE r.workflow_id = w.id AND r.status = 'active')`.as(
        'active',
      ),
    ])
    .$if(id !== null, (q) => q.where('w.id', '=', id as string))
    .where('w.archived_at', archived ? 'is not' : 'is', null)
    .orderBy('w.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    stage: r.stage,
    publishedVersion: r.published_version,
    latestVersion: Number(r.latest),
    activeRuns: Number(r.active),
    pausedAt: r.paused_at,
    pausedBy: r.paused_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

/** The published version of every workflow: what new runs start on. */
export async function listPublished(db: Db): Promise<PublishedRow[]> {
  return run(db, listingPublished(db));
}

export interface PublishedRow {
  id: string;
  version: number;
  hash: string;
  publishedAt: Date | null;
  paused: boolean;
}

/** listPublished as a statement, to send with others (store/pipeline.ts). */
export function listingPublished(db: Db): Statement<PublishedRow[]> {
  const query = db
    .selectFrom('workflows as w')
    .innerJoin('workflow_versions as v', (j) =>
      j.onRef('v.workflow_id', '=', 'w.id').onRef('v.version', '=', 'w.published_version'),
    )
    .select([
      'w.id',
      'v.version',
      'v.hash',
      'w.published_at as publishedAt',
      sql<boolean>`w.paused_at IS NOT NULL`.as('paused'),
    ])
    .where('w.archived_at', 'is', null)
    .compile();
  return statement(query, (rows) => rows);
}

/**
 * Marks a workflow paused (or not) at `now`, the engine's time: resume compares the pause time
 * with trigger occurrences the engine's clock made due. Takes the workflow's row lock, so a step
 * job holding runs (holdRuns, which reads the flag under a share lock) is either before or after
 * it, never across. Returns the workflow's previous pause time, or undefined when there is no
 * such workflow.
 */
export async function setPaused(
  db: Db,
  id: string,
  paused: { by: string } | null,
  now: Date,
): Promise<{ pausedAt: Date | null } | undefined> {
  const before = await db
    .selectFrom('workflows')
    .select('paused_at')
    .where('id', '=', id)
    .where('archived_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
  if (!before) return undefined;
  await db
    .updateTable('workflows')
    .set(
      paused
        ? { paused_at: before.paused_at ?? now, paused_by: paused.by, updated_at: now }
        : { paused_at: null, paused_by: null, updated_at: now },
    )
    .where('id', '=', id)
    .execute();
  return { pausedAt: before.paused_at };
}

/** The paused workflows among these, read under a share lock (see setPaused). */
export async function pausedAmong(db: Db, ids: string[], lock: boolean): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('workflows')
    .select('id')
    .where('id', 'in', ids)
    .where('paused_at', 'is not', null)
    .$if(lock, (q) => q.forShare())
    .execute();
  return new Set(rows.map((r) => r.id));
}
