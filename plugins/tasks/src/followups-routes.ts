import { randomUUID } from 'node:crypto';
import {
  bodyShape,
  callerOf,
  Hono,
  HttpError,
  inScope,
  type PluginContext,
  type PluginEnv,
  readJson,
  requires,
} from '@tend/plugin-sdk';
import { followupsOf, logFollowup } from './followups-store.ts';
import type { TasksSettings } from './settings.ts';
import { followupView } from './task-view.ts';
import type { FollowupChannel } from './tasks-store.ts';

interface FollowupBody {
  customerId: string;
  channel: FollowupChannel;
  outcome: string;
  note?: string;
  next?: { dueAt: string; title?: string; assignee?: string };
}

export const followup = bodyShape<FollowupBody>({
  type: 'object',
  properties: {
    customerId: { type: 'string', minLength: 1, maxLength: 200 },
    channel: { type: 'string', enum: ['call', 'visit', 'message'] },
    outcome: { type: 'string', minLength: 1, maxLength: 200 },
    note: { type: 'string', maxLength: 2000 },
    next: {
      type: 'object',
      properties: {
        dueAt: { type: 'string', format: 'date-time' },
        title: { type: 'string', minLength: 1, maxLength: 300 },
        assignee: { type: 'string', minLength: 1, maxLength: 200 },
      },
      required: ['dueAt'],
      additionalProperties: false,
    },
  },
  required: ['customerId', 'channel', 'outcome'],
  additionalProperties: false,
});

/**
 * Follow-ups on record (回访), at `/api/tasks/followups`: staff log a call, visit or message with
 * its outcome; a next follow-up date makes the next task. Each sends `followup.logged`, so a
 * journey can wait for a visit after a sale.
 */
export function followupsApi(ctx: PluginContext<TasksSettings>) {
  return new Hono<PluginEnv>()
    .get('/', requires('read', { ownCustomers: true }), async (c) => {
      const customer = c.req.query('customer');
      if (!customer) throw new HttpError(400, 'bad_request', 'customer: say whose follow-ups');
      const found = await ctx.customers.get(customer);
      if (!found || !inScope(callerOf(c), found.owner))
        throw new HttpError(404, 'not_found', `customer "${customer}" not found`);
      const rows = await followupsOf(ctx.db, customer, 200);
      return c.json({ followups: rows.map((r) => followupView(r, ctx.crypto)) });
    })
    .post('/', requires('customers:write', { ownCustomers: true }), async (c) => {
      const body = followup(await readJson(c));
      const caller = callerOf(c);
      const by = caller.user?.email ?? caller.name;
      const customer = await ctx.customers.get(body.customerId);
      if (!customer || !inScope(callerOf(c), customer.owner))
        throw new HttpError(404, 'not_found', `customer "${body.customerId}" not found`);
      const at = ctx.now();
      const id = randomUUID();
      const nextDue = body.next ? new Date(body.next.dueAt) : null;
      if (nextDue && nextDue.getTime() <= at.getTime())
        throw new HttpError(400, 'bad_request', 'next.dueAt: the next follow-up is planned for a later time');
      const title = body.next?.title ?? `Follow up with ${body.customerId}`;
      const { followup: row, next } = await logFollowup(
        ctx.db,
        {
          id,
          customer_id: body.customerId,
          by,
          channel: body.channel,
          outcome: body.outcome,
          note_enc: body.note ? ctx.crypto.encrypt(body.note) : null,
          at,
        },
        nextDue
          ? {
              id: randomUUID(),
              key: `followup-next:${id}`,
              customer_id: body.customerId,
              assignee: body.next?.assignee ?? by,
              title_enc: ctx.crypto.encrypt(title),
              note_enc: null,
              due_at: nextDue,
              created_at: at,
              workflow_id: null,
              run_id: null,
            }
          : null,
      );
      await ctx.events.emit([
        {
          id: `followup.logged:${row.id}`,
          customerId: row.customer_id,
          type: 'followup.logged',
          data: {
            followupId: row.id,
            channel: row.channel,
            outcome: row.outcome,
            by: row.by,
            nextTaskId: next?.id ?? null,
            nextDueAt: next?.due_at.toISOString() ?? null,
          },
        },
      ]);
      return c.json(followupView(row, ctx.crypto), 201);
    });
}
