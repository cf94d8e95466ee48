import type { PluginContext } from '@tend/plugin-sdk';
import type { ComplaintRow } from './complaints-store.ts';

/**
 * Tells the customer's runs what happened to a complaint, once per change (the event's id is
 * the change's): journeys wait for these to acknowledge, escalate and ask for CSAT.
 */
export async function announce(
  ctx: PluginContext,
  row: ComplaintRow,
  type: string,
  changeId: string,
  extra: Record<string, unknown> = {},
): Promise<void> {
  await ctx.events.emit([
    {
      id: `${type}:${changeId}`,
      customerId: row.customer_id,
      type,
      data: {
        complaintId: row.id,
        category: row.category,
        severity: row.severity,
        channel: row.channel,
        status: row.status,
        owner: row.owner,
        level: row.level,
        respondBy: row.respond_by.toISOString(),
        resolveBy: row.resolve_by.toISOString(),
        ...extra,
      },
    },
  ]);
}
