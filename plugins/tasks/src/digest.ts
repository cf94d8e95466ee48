import type { BackgroundContext, PluginContext } from '@tend/plugin-sdk';
import { localParts } from '@tend/plugin-sdk/time';
import { endOfLocalDay } from './local-day.ts';
import type { TasksSettings } from './settings.ts';
import { notifyStaff } from './staff-notice.ts';
import { claimDigest, openTasksDueBefore, type TaskRow } from './tasks-store.ts';

/** Tasks a digest lists by name; the rest are counted. */
const LISTED = 20;
/** Open tasks looked at per sweep: enough for every person's digest of a working day. */
const SCAN = 50_000;

/**
 * Once a day, from TEND_TASK_DIGEST_HOUR in the installation's zone, everyone with tasks overdue
 * or due today gets one digest of them (the way reminders reach them). A digest is claimed per
 * person and day before it is sent, so two processes never send it twice.
 */
export async function sendDigests(ctx: BackgroundContext): Promise<void> {
  const services = ctx.services as PluginContext<TasksSettings>;
  const zone = services.host.defaultTimezone;
  const local = localParts(ctx.now, zone);
  if (local.hour < services.settings.digestHour) return;
  const day = `${local.year}-${String(local.month).padStart(2, '0')}-${String(local.day).padStart(2, '0')}`;
  const tasks = await openTasksDueBefore(services.db, endOfLocalDay(ctx.now, zone), SCAN);
  const byAssignee = new Map<string, TaskRow[]>();
  for (const t of tasks) byAssignee.set(t.assignee, [...(byAssignee.get(t.assignee) ?? []), t]);
  for (const [assignee, theirs] of byAssignee) {
    if (ctx.signal.aborted) return;
    if (!(await claimDigest(services.db, assignee, day, ctx.now))) continue;
    const view = (t: TaskRow) => ({
      title: services.crypto.decrypt(t.title_enc),
      customerId: t.customer_id,
      dueAt: t.due_at.toISOString(),
      overdue: t.due_at.getTime() < ctx.now.getTime(),
    });
    const digest = {
      digest: 'tasks.daily',
      assignee,
      day,
      zone,
      overdue: theirs.filter((t) => t.due_at.getTime() < ctx.now.getTime()).length,
      today: theirs.filter((t) => t.due_at.getTime() >= ctx.now.getTime()).length,
      tasks: theirs.slice(0, LISTED).map(view),
      more: Math.max(0, theirs.length - LISTED),
      tasksUrl: `${services.host.publicUrl()}/tasks`,
    };
    await notifyStaff(ctx, {
      key: `task-digest:${assignee}:${day}`,
      assignee,
      template: 'task-digest',
      // A digest is about many customers: the outbox files it under the person it goes to.
      customerId: `staff:${assignee}`,
      scope: { digest },
      data: digest,
    });
  }
}
