import { sendMessage } from '@tend/plugin-messaging';
import type { BackgroundContext, Task } from '@tend/plugin-sdk';

const BATCH = 100;

/**
 * Reminds assignees of overdue tasks, once per task: by a signed POST to
 * TEND_TASK_REMINDER_URL when set, else by email when the assignee is an address, else into the
 * dev mailbox. Each reminder is an outbox message (purpose `staff`: no consent, caps or quiet
 * hours apply), keyed by the task, so it goes out once even if two processes sweep at once.
 */
export async function remindOverdue(ctx: BackgroundContext): Promise<void> {
  for (;;) {
    const due = await ctx.services.tasks.claimOverdue(ctx.now, BATCH);
    for (const task of due) await remind(ctx, task);
    if (due.length < BATCH || ctx.signal.aborted) return;
  }
}

async function remind(ctx: BackgroundContext, task: Task): Promise<void> {
  const { settings } = ctx.services;
  const webhook = settings.taskReminders;
  const email = /^[^\s@]+@[^\s@]+$/.test(task.assignee);
  const data = {
    reminder: 'task.overdue',
    taskId: task.id,
    assignee: task.assignee,
    title: task.title,
    customerId: task.customerId,
    dueAt: task.dueAt.toISOString(),
    tasksUrl: `${settings.publicUrl()}/api/tasks?assignee=${encodeURIComponent(task.assignee)}`,
  };
  try {
    await sendMessage(ctx.services, {
      key: `task-reminder:${task.id}`,
      channel: webhook ? 'webhook' : 'email',
      template: webhook ? null : 'task-overdue',
      customer: { id: task.customerId, attributes: {}, tags: [], timezone: null },
      to: webhook ? webhook.url : email ? task.assignee : `devbox:${task.assignee}`,
      ...(webhook ? { secret: webhook.secret } : {}),
      purpose: 'staff',
      workflowId: task.workflowId,
      runId: task.runId,
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
