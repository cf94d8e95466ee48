import type { BackgroundContext, MessagingService, PluginContext } from '@tend/plugin-sdk';
import type { TasksSettings } from './settings.ts';

export interface StaffNotice {
  /** The outbox key: the same notice is sent once, however often it is attempted. */
  key: string;
  assignee: string;
  /** The email template (templates/email/<name>.<locale>.mjml); webhooks get `data` as JSON. */
  template: string;
  /** The customer the notice is about; a digest about many names the person instead. */
  customerId: string;
  /** What the email template sees. */
  scope: Record<string, unknown>;
  /** The webhook's JSON body. */
  data: Record<string, unknown>;
  workflowId?: string | null;
  runId?: string | null;
}

/**
 * Tells a staff member something (a reminder, a digest): by a signed POST to
 * TEND_TASK_REMINDER_URL when set, else by email when the assignee is an address, else into the
 * dev mailbox. Each is an outbox message of purpose `staff` (no consent, caps or quiet hours),
 * under its key, so it goes out once even if two processes try at once.
 */
export async function notifyStaff(ctx: BackgroundContext, notice: StaffNotice): Promise<void> {
  const services = ctx.services as PluginContext<TasksSettings>;
  const { reminderUrl, reminderSecret } = services.settings;
  const email = /^[^\s@]+@[^\s@]+$/.test(notice.assignee);
  try {
    await services.use<MessagingService>('messaging').send({
      key: notice.key,
      channel: reminderUrl ? 'webhook' : 'email',
      template: reminderUrl ? null : notice.template,
      customer: { id: notice.customerId, attributes: {}, tags: [], timezone: null },
      to: reminderUrl ? reminderUrl : email ? notice.assignee : `devbox:${notice.assignee}`,
      ...(reminderUrl && reminderSecret ? { secret: reminderSecret } : {}),
      purpose: 'staff',
      workflowId: notice.workflowId ?? null,
      runId: notice.runId ?? null,
      limits: {},
      scope: notice.scope,
      data: notice.data,
      now: ctx.now,
      signal: ctx.signal,
      final: () => true,
    });
  } catch (error) {
    ctx.log.warn('a notice to staff could not be sent', { key: notice.key, error: (error as Error).message });
  }
}
