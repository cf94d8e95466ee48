import { randomUUID } from 'node:crypto';
import type { PluginContext, TaskService } from '@tend/plugin-sdk';
import { createTask } from './tasks-store.ts';

/** Tasks other plugins create (a complaint's escalation): the same inbox, once per key. */
export function taskService(ctx: PluginContext): TaskService {
  return {
    async create(request) {
      const { row, created } = await createTask(ctx.db, {
        id: randomUUID(),
        key: request.key,
        customer_id: request.customerId,
        assignee: request.assignee,
        title_enc: ctx.crypto.encrypt(request.title),
        note_enc: request.note ? ctx.crypto.encrypt(request.note) : null,
        due_at: request.dueAt,
        created_at: ctx.now(),
        workflow_id: request.workflowId ?? null,
        run_id: request.runId ?? null,
      });
      return { taskId: row.id, assignee: row.assignee, dueAt: row.due_at, created };
    },
  };
}
