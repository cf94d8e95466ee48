import { sql } from 'kysely';
import type { Db } from './db.ts';

/** Everything stored about one customer besides the profile row (for a data export). */
export async function customerRecords(db: Db, id: string) {
  const [events, runs, history, results, segments, audit] = await Promise.all([
    sql`SELECT id, type, data, occurred_at AS "occurredAt", received_at AS "receivedAt" FROM events
        WHERE customer_id = ${id} ORDER BY seq`.execute(db),
    sql`SELECT id, workflow_id AS workflow, version, key, status, state, outcome, snapshot->'context' AS data,
          started_at AS "startedAt", ended_at AS "endedAt"
        FROM runs WHERE customer_id = ${id} ORDER BY started_at`.execute(db),
    sql`SELECT h.run_id AS run, h.at, h.type, h.state, h.step, h.detail FROM run_history_entries h
        JOIN runs r ON r.id = h.run_id WHERE r.customer_id = ${id} ORDER BY h.id, h.n`.execute(db),
    sql`SELECT s.key, s.step, s.status, s.output, s.error, s.completed_at AS "completedAt" FROM step_results s
        JOIN runs r ON r.id = s.run_id WHERE r.customer_id = ${id}`.execute(db),
    sql`SELECT segment_id AS segment, since FROM segment_members WHERE customer_id = ${id}`.execute(db),
    sql`SELECT at, actor, action, detail FROM audit_log WHERE entity = 'customer' AND entity_id = ${id} ORDER BY id`.execute(
      db,
    ),
  ]);
  return {
    events: events.rows,
    runs: runs.rows,
    history: history.rows,
    stepResults: results.rows,
    segments: segments.rows,
    audit: audit.rows,
  };
}

/** The customer's latest events and runs, newest first, for the profile page. */
export async function customerTimeline(db: Db, id: string, limit = 50) {
  const r = await sql<{ at: Date; kind: string; type: string; detail: Record<string, unknown> }>`
    (SELECT occurred_at AS at, 'event' AS kind, type, jsonb_build_object('id', id, 'data', data) AS detail
       FROM events WHERE customer_id = ${id} ORDER BY seq DESC LIMIT ${limit})
    UNION ALL
    (SELECT started_at AS at, 'run' AS kind, workflow_id AS type,
       jsonb_build_object('run', id, 'status', status, 'state', state, 'outcome', outcome, 'version', version) AS detail
       FROM runs WHERE customer_id = ${id} ORDER BY started_at DESC LIMIT ${limit})
    ORDER BY at DESC LIMIT ${limit}`.execute(db);
  return r.rows;
}
