import type { BackgroundContext, MessagingService, PluginContext } from '@tend/plugin-sdk';
import type { TasksSettings } from './settings.ts';
import { claimOverdueTasks, type TaskRow } from './tasks-store.ts';

const BATCH = 100;

/**
 * Reminds assignees of overdue tasks, once per task: by a signed POST to
 * TEND_TASK_REMINDER_URL when set, else by email when the assignee is an address, else into the
 * dev mailbox. Each reminder is an outbox message (purpose `staff`: no consent, caps or quiet
 * hours apply), keyed by the task, so it goes out once even if two processes sweep at once.
 */
export async function remindOverdue(ctx: BackgroundContext): Promise<void> {
  const services = ctx.services as PluginContext<TasksSettings>;
  for (;;) {
    const due = await claimOverdueTasks(services.db, ctx.now, BATCH);
    for (const task of due) await remind(ctx, services, task);
    if (due.length < BATCH || ctx.signal.aborted) return;
  }
}

async function remind(
  ctx: BackgroundContext,
  services: PluginContext<TasksSettings>,
  task: TaskRow,
): Promise<void> {
  const { reminderUrl, reminderSecret } = services.settings;
  const email = /^[^\s@]+@[^\s@]+$/.test(task.assignee);
  const title = services.crypto.decrypt(task.title_enc);
  const data = {
    reminder: 'task.overdue',
    taskId: task.id,
    assignee: task.assignee,
    title,
    customerId: task.customer_id,
    dueAt: task.due_at.toISOString(),
    tasksUrl: `${services.host.publicUrl()}/api/tasks?assignee=${encodeURIComponent(task.assignee)}`,
  };
  try {
    await services.use<MessagingService>('messaging').send({
      key: `task-reminder:${task.id}`,
      channel: reminderUrl ? 'webhook' : 'email',
      template: reminderUrl ? null : 'task-overdue',
      customer: { id: task.customer_id, attributes: {}, tags: [], timezone: null },
      to: reminderUrl ? reminderUrl : email ? task.assignee : `devbox:${task.assignee}`,
      ...(reminderUrl && reminderSecret ? { secret: reminderSecret } : {}),
      purpose: 'staff',
      workflowId: task.workflow_id,
      runId: task.run_id,
      limits: {},
      scope: { task: data },
      data,
      now: ctx.now,
      signal: ctx.signal,
      final: () => true,
    });
  } catch (error) {
    ctx.log.warn('a task reminder could not be sent', { task: task.id, error: (error as Error).message });
  }
}
