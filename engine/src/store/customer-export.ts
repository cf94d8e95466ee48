import { sql } from 'kysely';
import type { Db } from './db.ts';
import type { OutboxRow } from './outbox.ts';

/**
 * Everything the engine stores about one customer besides the profile row (for a data export;
 * plugins add what they keep). Messages come as stored (recipient and content encrypted): the
 * caller decrypts.
 */
export async function customerRecords(db: Db, id: string) {
  const [events, runs, history, results, segments, audit, messages] = await Promise.all([
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
    sql<OutboxRow>`SELECT * FROM outbox WHERE customer_id = ${id} ORDER BY created_at, key`.execute(db),
  ]);
  return {
    events: events.rows,
    runs: runs.rows,
    history: history.rows,
    stepResults: results.rows,
    segments: segments.rows,
    audit: audit.rows,
    messages: messages.rows,
  };
}

/** One entry of a customer's timeline. */
export interface TimelineRow {
  at: Date;
  kind: 'event' | 'run' | 'message';
  type: string;
  detail: Record<string, unknown>;
  /** Ciphertext to show decrypted: a message's content (for its subject). */
  secret: Buffer | null;
}

/**
 * The customer's latest events, runs and messages (sent, skipped with the reason, deferred,
 * failed), newest first, for the profile page; plugins add their own entries.
 */
export async function customerTimeline(db: Db, id: string, limit = 50): Promise<TimelineRow[]> {
  const r = await sql<TimelineRow>`
    (SELECT occurred_at AS at, 'event' AS kind, type, jsonb_build_object('id', id, 'data', data) AS detail,
       NULL::bytea AS secret
       FROM events WHERE customer_id = ${id} ORDER BY seq DESC LIMIT ${limit})
    UNION ALL
    (SELECT started_at AS at, 'run' AS kind, workflow_id AS type,
       jsonb_build_object('run', id, 'status', status, 'state', state, 'outcome', outcome, 'version', version) AS detail,
       NULL::bytea AS secret
       FROM runs WHERE customer_id = ${id} ORDER BY started_at DESC LIMIT ${limit})
    UNION ALL
    (SELECT coalesce(sent_at, created_at) AS at, 'message' AS kind, coalesce(template, channel) AS type,
       jsonb_build_object('key', key, 'channel', channel, 'template', template, 'purpose', purpose,
         'status', status, 'reason', reason, 'detail', detail, 'sentAt', sent_at,
         'deferredUntil', deferred_until, 'workflow', workflow_id, 'run', run_id) AS detail,
       content_enc AS secret
       FROM outbox WHERE customer_id = ${id} ORDER BY created_at DESC LIMIT ${limit})
    ORDER BY at DESC LIMIT ${limit}`.execute(db);
  return r.rows;
}
