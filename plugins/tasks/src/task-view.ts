import type { CryptoService } from '@tend/plugin-sdk';
import type { FollowupRow, TaskChangeRow, TaskRow } from './tasks-store.ts';

/** A task as the API shows it: title and note decrypted. */
export function taskView(r: TaskRow, crypto: CryptoService, now: Date) {
  return {
    id: r.id,
    customerId: r.customer_id,
    assignee: r.assignee,
    title: crypto.decrypt(r.title_enc),
    note: r.note_enc ? crypto.decrypt(r.note_enc) : null,
    completionNote: r.completion_note_enc ? crypto.decrypt(r.completion_note_enc) : null,
    status: r.status,
    overdue: r.status === 'open' && r.due_at.getTime() < now.getTime(),
    dueAt: r.due_at.toISOString(),
    createdAt: r.created_at.toISOString(),
    completedAt: r.completed_at?.toISOString() ?? null,
    completedBy: r.completed_by,
    outcome: r.outcome,
    workflowId: r.workflow_id,
    runId: r.run_id,
    remindedAt: r.reminded_at?.toISOString() ?? null,
  };
}

/** A snooze, reassignment or completion: who, when, from what to what, and why. */
export function changeView(c: TaskChangeRow, crypto: CryptoService) {
  return {
    at: c.at.toISOString(),
    by: c.by,
    kind: c.kind,
    from: c.from_value,
    to: c.to_value,
    reason: c.reason_enc ? crypto.decrypt(c.reason_enc) : null,
  };
}

/** A follow-up on record, its note decrypted. */
export function followupView(f: FollowupRow, crypto: CryptoService) {
  return {
    id: f.id,
    customerId: f.customer_id,
    at: f.at.toISOString(),
    by: f.by,
    channel: f.channel,
    outcome: f.outcome,
    note: f.note_enc ? crypto.decrypt(f.note_enc) : null,
    nextTaskId: f.next_task_id,
  };
}
