import type { CryptoService } from '@tend/plugin-sdk';
import type { TaskRow } from './tasks-store.ts';

/** A task as the API shows it: title and note decrypted. */
export function taskView(r: TaskRow, crypto: CryptoService, now: Date) {
  return {
    id: r.id,
    customerId: r.customer_id,
    assignee: r.assignee,
    title: crypto.decrypt(r.title_enc),
    note: r.note_enc ? crypto.decrypt(r.note_enc) : null,
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
