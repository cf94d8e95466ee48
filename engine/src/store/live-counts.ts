import { sql } from 'kysely';
import type { Db } from './db.ts';

/** How customers flow through one version of a workflow: where they are, how they moved, how they ended. */
export interface LiveCounts {
  active: { state: string; count: number }[];
  /** `from` null is the entry into the first state (the trigger's edge). */
  edges: { from: string | null; to: string; count: number }[];
  ended: { status: string; outcome: string | null; count: number }[];
  /** Runs that failed, by the state they failed in and the error that ended them. */
  failures: { state: string; code: string | null; message: string | null; count: number }[];
}

/** Counts from the runs table and the runs' history (state.entered entries, in order). */
export async function liveCounts(db: Db, workflowId: string, version: number): Promise<LiveCounts> {
  const active = await db
    .selectFrom('runs')
    .select(['state', sql<number>`count(*)::int`.as('count')])
    .where('workflow_id', '=', workflowId)
    .where('version', '=', version)
    .where('status', '=', 'active')
    .groupBy('state')
    .execute();
  const ended = await db
    .selectFrom('runs')
    .select(['status', 'outcome', sql<number>`count(*)::int`.as('count')])
    .where('workflow_id', '=', workflowId)
    .where('version', '=', version)
    .where('status', '<>', 'active')
    .groupBy(['status', 'outcome'])
    .execute();
  const edges = await sql<{ from: string | null; to: string; count: number }>`
    SELECT prev AS "from", state AS "to", count(*)::int AS count FROM (
      SELECT e.state, lag(e.state) OVER (PARTITION BY e.run_id ORDER BY e.id, e.n) AS prev
      FROM run_history_entries e
      JOIN runs r ON r.id = e.run_id
      WHERE r.workflow_id = ${workflowId} AND r.version = ${version} AND e.type = 'state.entered'
    ) t
    GROUP BY prev, state`.execute(db);
  const failures = await sql<{ state: string; code: string | null; message: string | null; count: number }>`
    SELECT r.state, e.detail->'error'->>'code' AS code, min(e.detail->'error'->>'message') AS message,
      count(*)::int AS count
    FROM runs r JOIN run_history_entries e ON e.run_id = r.id AND e.type = 'run.failed'
    WHERE r.workflow_id = ${workflowId} AND r.version = ${version} AND r.status = 'failed'
    GROUP BY r.state, e.detail->'error'->>'code'
    ORDER BY count(*) DESC`.execute(db);
  return { active, edges: edges.rows, ended, failures: failures.rows };
}

/** How many customers each version of a workflow has in flight (versions with none left out), newest first. */
export async function activeByVersion(
  db: Db,
  workflowId: string,
): Promise<{ version: number; active: number }[]> {
  return db
    .selectFrom('runs')
    .select(['version', sql<number>`count(*)::int`.as('active')])
    .where('workflow_id', '=', workflowId)
    .where('status', '=', 'active')
    .groupBy('version')
    .orderBy('version', 'desc')
    .execute();
}

/** Per workflow (all versions): runs started, still active, and ended per outcome. */
export async function outcomeTotals(
  db: Db,
): Promise<{ workflowId: string; status: string; outcome: string | null; count: number }[]> {
  const rows = await db
    .selectFrom('runs')
    .select(['workflow_id', 'status', 'outcome', sql<number>`count(*)::int`.as('count')])
    .groupBy(['workflow_id', 'status', 'outcome'])
    .execute();
  return rows.map((r) => ({
    workflowId: r.workflow_id,
    status: r.status,
    outcome: r.outcome,
    count: r.count,
  }));
}
