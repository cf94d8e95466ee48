import type { BackgroundContext, PluginContext } from '@tend/plugin-sdk';
import type { TasksSettings } from './settings.ts';
import { notifyStaff } from './staff-notice.ts';
import { claimOverdueTasks } from './tasks-store.ts';

const BATCH = 100;

/** Reminds assignees of overdue tasks, once per task (README of the plugin: how it reaches them). */
export async function remindOverdue(ctx: BackgroundContext): Promise<void> {
  const services = ctx.services as PluginContext<TasksSettings>;
  for (;;) {
    const due = await claimOverdueTasks(services.db, ctx.now, BATCH);
    for (const task of due) {
      const data = {
        reminder: 'task.overdue',
        taskId: task.id,
        assignee: task.assignee,
        title: services.crypto.decrypt(task.title_enc),
        customerId: task.customer_id,
        dueAt: task.due_at.toISOString(),
        tasksUrl: `${services.host.publicUrl()}/tasks`,
      };
      await notifyStaff(ctx, {
        key: `task-reminder:${task.id}`,
        assignee: task.assignee,
        template: 'task-overdue',
        customerId: task.customer_id,
        // Times in the mail read in the installation's zone.
        scope: { task: data, zone: services.host.defaultTimezone },
        data,
        workflowId: task.workflow_id,
        runId: task.run_id,
      });
    }
    if (due.length < BATCH || ctx.signal.aborted) return;
  }
}
