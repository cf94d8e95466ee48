import { sql } from 'kysely';
import type { Db } from './db.ts';

/*
 * All SQL of experiment_assignments and experiment_decisions. Assignments are inserted with the
 * run's transition (run-writes.ts); here they are settled (converted, or their window closed)
 * and counted, and decisions are kept.
 */

/** An assignment whose conversion is not settled yet. */
export interface OpenAssignment {
  customerId: string;
  runId: string;
  enteredAt: Date;
}

/** The oldest open assignments of an experiment, `limit` at a time. */
export async function openAssignments(
  db: Db,
  workflowId: string,
  experiment: string,
  limit: number,
): Promise<OpenAssignment[]> {
  const r = await sql<OpenAssignment>`
    SELECT customer_id AS "customerId", run_id::text AS "runId", entered_at AS "enteredAt"
    FROM experiment_assignments
    WHERE workflow_id = ${workflowId} AND experiment = ${experiment} AND NOT settled
    ORDER BY entered_at
    LIMIT ${limit}`.execute(db);
  return r.rows;
}

/** Events of one type for these customers that happened in [from, to). */
export async function eventsBetween(
  db: Db,
  customerIds: string[],
  type: string,
  from: Date,
  to: Date,
): Promise<{ customerId: string; occurredAt: Date; data: Record<string, unknown>; id: string }[]> {
  const r = await sql<{ customerId: string; occurredAt: Date; data: Record<string, unknown>; id: string }>`
    SELECT customer_id AS "customerId", occurred_at AS "occurredAt", data, id
    FROM events
    WHERE customer_id = ANY(${customerIds}::text[]) AND type = ${type}
      AND occurred_at >= ${from} AND occurred_at < ${to}
    ORDER BY occurred_at`.execute(db);
  return r.rows;
}

/** How these runs ended: the outcome and when (null while active). */
export async function runEndings(
  db: Db,
  runIds: string[],
): Promise<Map<string, { outcome: string | null; endedAt: Date | null }>> {
  const r = await sql<{ id: string; outcome: string | null; endedAt: Date | null }>`
    SELECT id::text AS id, outcome, ended_at AS "endedAt" FROM runs WHERE id = ANY(${runIds}::uuid[])`.execute(
    db,
  );
  return new Map(r.rows.map((row) => [row.id, { outcome: row.outcome, endedAt: row.endedAt }]));
}

/** Marks assignments settled: converted at a time, or (null) not converted in their window. */
export async function settleAssignments(
  db: Db,
  experiment: string,
  settled: { customerId: string; runId: string; convertedAt: Date | null }[],
): Promise<void> {
  if (settled.length === 0) return;
  await sql`
    UPDATE experiment_assignments a SET settled = true, converted_at = s."convertedAt"
    FROM jsonb_to_recordset(${JSON.stringify(settled)}::jsonb)
      AS s("customerId" text, "runId" uuid, "convertedAt" timestamptz)
    WHERE a.customer_id = s."customerId" AND a.run_id = s."runId" AND a.experiment = ${experiment}`.execute(
    db,
  );
}

/** Counts of one arm and route: settled entrants, conversions among them, and still open. */
export interface ArmRouteCount {
  arm: number;
  route: string;
  settled: number;
  converted: number;
  open: number;
}

export async function armCounts(db: Db, workflowId: string, experiment: string): Promise<ArmRouteCount[]> {
  const r = await sql<ArmRouteCount>`
    SELECT arm, route,
           count(*) FILTER (WHERE settled)::int AS settled,
           count(converted_at)::int AS converted,
           count(*) FILTER (WHERE NOT settled)::int AS open
    FROM experiment_assignments
    WHERE workflow_id = ${workflowId} AND experiment = ${experiment}
    GROUP BY arm, route ORDER BY arm, route`.execute(db);
  return r.rows;
}

export interface Decision {
  workflowId: string;
  experiment: string;
  state: string;
  verdict: 'winner' | 'no-winner';
  arm: number | null;
  reason: string;
  method: Record<string, unknown>;
  numbers: Record<string, unknown>[];
  decidedAt: Date;
}

/** Records a decision once: a second decider (another process) leaves the first in place. */
export async function recordDecision(db: Db, d: Decision): Promise<void> {
  await sql`
    INSERT INTO experiment_decisions (workflow_id, experiment, state, verdict, arm, reason, method, numbers, decided_at)
    VALUES (${d.workflowId}, ${d.experiment}, ${d.state}, ${d.verdict}, ${d.arm}, ${d.reason},
            ${JSON.stringify(d.method)}::jsonb, ${JSON.stringify(d.numbers)}::jsonb, ${d.decidedAt})
    ON CONFLICT DO NOTHING`.execute(db);
}

/** Every decision, or one workflow's. */
export async function listDecisions(db: Db, workflowId?: string): Promise<Decision[]> {
  const r = await sql<Decision>`
    SELECT workflow_id AS "workflowId", experiment, state, verdict, arm, reason, method, numbers,
           decided_at AS "decidedAt"
    FROM experiment_decisions
    ${workflowId === undefined ? sql`` : sql`WHERE workflow_id = ${workflowId}`}
    ORDER BY workflow_id, experiment`.execute(db);
  return r.rows;
}
