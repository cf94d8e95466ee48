import { sql } from 'kysely';
import type { Db } from './db.ts';
import type { OutboxRow } from './outbox.ts';
import type { TaskRow } from './tasks.ts';

/**
 * Everything stored about one customer besides the profile row (for a data export). Messages and
 * tasks come as stored (recipient, content and task texts encrypted): the caller decrypts.
 */
export async function customerRecords(db: Db, id: string) {
  const [events, runs, history, results, segments, audit, messages, surveys, tasks, ledger] =
    await Promise.all([
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
      // Every survey link the customer was sent, with the answer when there is one.
      sql`SELECT l.id AS link, l.survey, l.workflow_id AS workflow, l.run_id AS run, l.channel, l.locale, l.segment,
          l.stage, l.created_at AS "sentAt", l.expires_at AS "expiresAt", a.score, a.answers, a.answered_at AS "answeredAt"
        FROM survey_links l LEFT JOIN survey_answers a ON a.link_id = l.id
        WHERE l.customer_id = ${id} ORDER BY l.created_at, l.id`.execute(db),
      sql<TaskRow>`SELECT * FROM tasks WHERE customer_id = ${id} ORDER BY created_at, id`.execute(db),
      sql`SELECT key, points, status, balance, reason, workflow_id AS workflow, run_id AS run, at
        FROM loyalty_ledger WHERE customer_id = ${id} ORDER BY id`.execute(db),
    ]);
  return {
    events: events.rows,
    runs: runs.rows,
    history: history.rows,
    stepResults: results.rows,
    segments: segments.rows,
    audit: audit.rows,
    messages: messages.rows,
    surveys: surveys.rows,
    tasks: tasks.rows,
    loyaltyLedger: ledger.rows,
  };
}

/** One entry of a customer's timeline. */
export interface TimelineRow {
  at: Date;
  kind: 'event' | 'run' | 'message' | 'survey' | 'task' | 'loyalty';
  type: string;
  detail: Record<string, unknown>;
  /** Ciphertext to show decrypted: a message's content (for its subject), a task's title. */
  secret: Buffer | null;
}

/**
 * The customer's latest events, runs, messages (sent, skipped with the reason, deferred,
 * failed), survey answers, tasks and loyalty entries, newest first, for the profile page.
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
    UNION ALL
    (SELECT answered_at AS at, 'survey' AS kind, survey AS type,
       jsonb_build_object('link', link_id, 'score', score, 'answers', answers) AS detail,
       NULL::bytea AS secret
       FROM survey_answers WHERE customer_id = ${id} ORDER BY answered_at DESC LIMIT ${limit})
    UNION ALL
    (SELECT created_at AS at, 'task' AS kind, status AS type,
       jsonb_build_object('id', id, 'assignee', assignee, 'status', status, 'dueAt', due_at,
         'completedAt', completed_at, 'outcome', outcome, 'workflow', workflow_id, 'run', run_id) AS detail,
       title_enc AS secret
       FROM tasks WHERE customer_id = ${id} ORDER BY created_at DESC LIMIT ${limit})
    UNION ALL
    (SELECT at, 'loyalty' AS kind, CASE WHEN points < 0 THEN 'redeem' ELSE 'award' END AS type,
       jsonb_build_object('points', points, 'balance', balance, 'reason', reason, 'status', status,
         'workflow', workflow_id, 'run', run_id) AS detail,
       NULL::bytea AS secret
       FROM loyalty_ledger WHERE customer_id = ${id} ORDER BY id DESC LIMIT ${limit})
    ORDER BY at DESC LIMIT ${limit}`.execute(db);
  return r.rows;
}
