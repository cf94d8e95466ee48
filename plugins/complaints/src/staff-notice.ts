import type { MessagingService, PluginContext } from '@tend/plugin-sdk';

/**
 * Emails a staff member about a complaint (its escalation to them): an outbox message of
 * purpose `staff` under its key, so it goes out once however often it is attempted. A person
 * named by id rather than address gets it in the dev mailbox (`devbox:<id>`).
 */
export async function tellStaff(
  ctx: PluginContext,
  notice: {
    key: string;
    to: string;
    template: string;
    customerId: string;
    scope: Record<string, unknown>;
    now: Date;
    signal: AbortSignal;
  },
): Promise<void> {
  const email = /^[^\s@]+@[^\s@]+$/.test(notice.to);
  try {
    await ctx.use<MessagingService>('messaging').send({
      key: notice.key,
      channel: 'email',
      template: notice.template,
      customer: { id: notice.customerId, attributes: {}, tags: [], timezone: null },
      to: email ? notice.to : `devbox:${notice.to}`,
      purpose: 'staff',
      workflowId: null,
      runId: null,
      limits: {},
      scope: notice.scope,
      now: notice.now,
      signal: notice.signal,
      final: () => true,
    });
  } catch (error) {
    // The task in their inbox is the record; a mail that cannot go is logged, not retried forever.
    ctx.log.warn('a complaint notice to staff could not be sent', {
      key: notice.key,
      error: (error as Error).message,
    });
  }
}
