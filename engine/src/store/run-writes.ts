import { sql } from 'kysely';
import type { Db } from './db.ts';
import { type Statement, statement } from './pipeline.ts';
import type { HistoryEntry } from './run-types.ts';
import type { NewRun, RunWrite } from './runs.ts';
import type { StepResult } from './step-results.ts';

/** Everything one batch of transitions writes, except jobs (pg-boss inserts those). */
export interface RunBatch {
  newRuns: NewRun[];
  updates: RunWrite[];
  history: (HistoryEntry & { runId: string })[];
  /** The event's month beside its seq, so inbox reads find it in one partition. */
  inboxAdd: { runId: string; seq: string; bucket: string }[];
  inboxRemove: { runId: string; seq: string }[];
  ended: string[];
  results: StepResult[];
  dispatched: string[];
  /** Runs that took an experiment's arm (store/experiments.ts reads them). */
  assignments: Assignment[];
}

export interface Assignment {
  customerId: string;
  runId: string;
  workflowId: string;
  experiment: string;
  arm: number;
  route: string;
  at: Date;
}

/**
 * Writes a batch in ONE statement (data-modifying CTEs over runs, run_history, run_inbox,
 * step_results, event_dispatch, and experiment_assignments when a run took an arm). This is the
 * engine's hot path: a round trip per table cost more than the writes themselves. Run updates
 * apply only where the row still has the revision the writer read; should one not (a concurrent
 * writer won), the statement fails with SQLSTATE 40001 naming the runs (`tend_runs_changed`),
 * writes nothing, and aborts its transaction: the caller recomputes from the runs read again.
 * Failing rather than answering lets the COMMIT go right behind it
 * (store/pipeline.ts#committingWith), with the batch's job inserts (#sendWith).
 */
export function writingRunBatch(db: Db, b: RunBatch, now: Date): Statement<void> {
  // Dates become ISO strings through Date#toJSON.
  const json = (v: unknown) => JSON.stringify(v);
  const updates = b.updates.map((u) => u.id);
  const query = sql<{ changed: number }>`
    WITH
    new_runs AS (
      INSERT INTO runs (id, workflow_id, version, customer_id, key, status, state, phase, step, awaiting,
                        outcome, entry, driver, attempt, snapshot, started_at, updated_at, ended_at)
      SELECT v.id, v."workflowId", v.version, v."customerId", v.key, v.status, v.state, v.phase, v.step,
             v.awaiting, v.outcome, v.entry, v.driver, v.attempt, v.snapshot, v."startedAt", v."updatedAt",
             CASE WHEN v.status = 'active' THEN NULL ELSE v."updatedAt" END
      FROM jsonb_to_recordset(${json(b.newRuns)}::jsonb) AS v(
        id uuid, "workflowId" text, version int, "customerId" text, key text, status text, state text,
        phase text, step int, awaiting text, outcome text, entry int, driver uuid, attempt int, snapshot jsonb,
        "startedAt" timestamptz, "updatedAt" timestamptz)
    ),
    updated AS (
      UPDATE runs AS r SET
        status = v.status, state = v.state, phase = v.phase, step = v.step, awaiting = v.awaiting,
        outcome = v.outcome, entry = v.entry, driver = v.driver, attempt = v.attempt, snapshot = v.snapshot,
        updated_at = v."updatedAt",
        ended_at = CASE WHEN v.status = 'active' THEN NULL ELSE v."updatedAt" END, rev = r.rev + 1
      FROM jsonb_to_recordset(${json(b.updates)}::jsonb) AS v(
        id uuid, rev int, status text, state text, phase text, step int, awaiting text, outcome text,
        entry int, driver uuid, attempt int, snapshot jsonb, "updatedAt" timestamptz)
      -- The id list keeps runs on its primary key: joined alone, a plan made while the table was
      -- small (a named statement keeps its generic plan until the next ANALYZE) scans it whole.
      WHERE r.id = ANY(${updates}::uuid[]) AND r.id = v.id AND r.rev = v.rev
      RETURNING r.id
    ),
    history AS (
      INSERT INTO run_history (run_id, at, type, state, step, detail, bucket)
      SELECT h."runId", h.at, h.type, h.state, h.step, h.detail, date_trunc('month', h.at AT TIME ZONE 'UTC')::date
      FROM ROWS FROM (jsonb_to_recordset(${json(b.history)}::jsonb)
        AS ("runId" uuid, at timestamptz, type text, state text, step text, detail jsonb)) WITH ORDINALITY
        AS h("runId", at, type, state, step, detail, n)
      ORDER BY h.n
    ),
    inbox_add AS (
      INSERT INTO run_inbox (run_id, event_seq, event_bucket)
      SELECT a."runId", a.seq, a.bucket
      FROM jsonb_to_recordset(${json(b.inboxAdd)}::jsonb) AS a("runId" uuid, seq bigint, bucket date)
      ON CONFLICT DO NOTHING
    ),
    inbox_remove AS (
      DELETE FROM run_inbox i USING jsonb_to_recordset(${json(b.inboxRemove)}::jsonb) AS d("runId" uuid, seq bigint)
      WHERE i.run_id = d."runId" AND i.event_seq = d.seq
    ),
    inbox_ended AS (
      DELETE FROM run_inbox WHERE run_id = ANY(${b.ended}::uuid[])
    ),
    results AS (
      INSERT INTO step_results (key, run_id, step, status, output, error, attempts, completed_at)
      SELECT s.key, s."runId", s.step, s.status, s.output, s.error, s.attempts, ${now}::timestamptz
      FROM jsonb_to_recordset(${json(b.results)}::jsonb)
        AS s(key text, "runId" uuid, step text, status text, output jsonb, error jsonb, attempts int)
      ON CONFLICT (key) DO NOTHING
    ),
    dispatched AS (
      DELETE FROM event_dispatch WHERE seq = ANY(${b.dispatched}::bigint[])
    )
    ${b.assignments.length === 0 ? sql`` : assignmentsCte(b.assignments)}
    SELECT CASE WHEN count(*) = ${updates.length}::int THEN 0 ELSE tend_runs_changed(ARRAY(
      SELECT unnest(${updates}::text[]) EXCEPT SELECT id::text FROM updated)) END AS changed
    FROM updated`.compile(db);
  return statement(query, () => undefined);
}

/** The error of a run write that found a run moved by another writer (`tend_runs_changed`). */
export function isRunsChanged(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '40001';
}

/**
 * Runs that took an experiment's arm, as one more CTE: only in batches that have some, so the
 * hot statement of every other batch stays as it was (another text, prepared on its own).
 */
function assignmentsCte(assignments: Assignment[]) {
  return sql`,
    assignments AS (
      INSERT INTO experiment_assignments (customer_id, run_id, workflow_id, experiment, arm, route, entered_at)
      SELECT x."customerId", x."runId", x."workflowId", x.experiment, x.arm, x.route, x.at
      FROM jsonb_to_recordset(${JSON.stringify(assignments)}::jsonb)
        AS x("customerId" text, "runId" uuid, "workflowId" text, experiment text, arm int, route text, at timestamptz)
      -- A run that comes back to the split keeps the arm it took first.
      ON CONFLICT DO NOTHING
    )`;
}
