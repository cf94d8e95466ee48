import type { PluginContext } from '@tend/plugin-sdk';
import type { TaskRow } from './tasks-store.ts';

/**
 * Tells the customer's runs what happened to a task (`task.completed`, `task.snoozed`,
 * `task.reassigned`), once per change: the event's id is the change's.
 */
export async function announce(
  ctx: PluginContext,
  task: TaskRow,
  type: string,
  changeId: string,
): Promise<void> {
  await ctx.events.emit([
    {
      id: `${type}:${changeId}`,
      customerId: task.customer_id,
      type,
      data: {
        taskId: task.id,
        assignee: task.assignee,
        dueAt: task.due_at.toISOString(),
        outcome: task.outcome,
        by: task.completed_by,
        workflow: task.workflow_id,
      },
    },
  ]);
}
