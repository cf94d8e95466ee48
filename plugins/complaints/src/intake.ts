import { randomUUID } from 'node:crypto';
import type { PluginContext } from '@tend/plugin-sdk';
import { announce } from './announce.ts';
import { type ComplaintChannel, type ComplaintRow, createComplaint } from './complaints-store.ts';
import { deadlineMs, hoursOf, ownerFor, type PolicyCatalog, type Severity } from './policy.ts';
import { addWorkingTime } from './working-hours.ts';

export interface NewComplaint {
  key: string;
  customerId: string;
  channel: ComplaintChannel;
  category: string;
  severity: Severity;
  description: string;
  attachments: string[];
  store: string | null;
  /** Who recorded it: the API caller, `form`, or the journey. */
  by: string;
}

export type IntakeResult =
  | { ok: true; row: ComplaintRow; created: boolean }
  | { ok: false; code: 'unknown_customer' | 'unknown_category'; message: string };

/**
 * Takes a complaint in, whichever way it came: routes it to an owner, sets its deadlines in
 * the owner's team's working hours, stores it once per key and customer and tells the customer's
 * runs (`complaint.received`). A repeat of the same key for the same customer answers the stored
 * complaint.
 */
export async function takeComplaint(
  ctx: PluginContext,
  policies: PolicyCatalog,
  input: NewComplaint,
): Promise<IntakeResult> {
  const policy = policies.get();
  if (!policy.categories.some((c) => c.id === input.category)) {
    return {
      ok: false,
      code: 'unknown_category',
      message: `category "${input.category}" is not one of ${policy.categories.map((c) => c.id).join(', ')}`,
    };
  }
  const customer = await ctx.customers.get(input.customerId);
  if (!customer)
    return { ok: false, code: 'unknown_customer', message: `customer "${input.customerId}" not found` };
  const store =
    input.store ?? (typeof customer.attributes.store === 'string' ? customer.attributes.store : null);
  const owner = ownerFor(policy, { category: input.category, store, customerOwner: customer.owner ?? null });
  const now = ctx.now();
  const hours = hoursOf(policy, owner, ctx.host.defaultTimezone);
  const ms = deadlineMs(policy, input.severity);
  const { row, created } = await createComplaint(
    ctx.db,
    {
      id: randomUUID(),
      key: input.key,
      customer_id: customer.id,
      channel: input.channel,
      category: input.category,
      severity: input.severity,
      description_enc: ctx.crypto.encrypt(input.description),
      attachments: input.attachments,
      store,
      owner,
      level: 0,
      status: 'open',
      received_at: now,
      respond_by: addWorkingTime(now, ms.respond, hours),
      resolve_by: addWorkingTime(now, ms.resolve, hours),
      acknowledged_at: null,
      resolved_at: null,
      closed_at: null,
      response_breached_at: null,
      resolution_breached_at: null,
      resolution_enc: null,
      reopened: 0,
      csat: null,
    },
    input.by,
  );
  // Also on a repeat: heals a crash between storing and announcing (the event id makes it once).
  await announce(ctx, row, 'complaint.received', `${row.id}:received`);
  return { ok: true, row, created };
}
