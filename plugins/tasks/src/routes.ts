import {
  bodyShape,
  callerOf,
  Hono,
  HttpError,
  type PluginContext,
  type PluginEnv,
  readOptionalJson,
  requires,
} from '@tend/plugin-sdk';
import type { TasksSettings } from './settings.ts';
import { taskView } from './task-view.ts';
import type { TaskRow } from './tasks-store.ts';
import { completeTask, getTask, listTasks } from './tasks-store.ts';

const completion = bodyShape<{ outcome?: string; by?: string }>({
  type: 'object',
  properties: {
    outcome: { type: 'string', minLength: 1, maxLength: 200 },
    by: { type: 'string', minLength: 1, maxLength: 200 },
  },
  additionalProperties: false,
});
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const notFound = (id: string) => new HttpError(404, 'not_found', `task "${id}" not found`);

/**
 * Follow-up tasks from journeys. `GET /api/tasks?assignee=` is a staff member's list;
 * completing one sends `task.completed` to the customer's runs (once).
 */
export function tasksApi(ctx: PluginContext<TasksSettings>) {
  return new Hono<PluginEnv>()
    .get('/', requires('read'), async (c) => {
      const q = c.req.query();
      if (q.status !== undefined && q.status !== 'open' && q.status !== 'done')
        throw new HttpError(400, 'bad_request', 'status must be open or done');
      const limit = q.limit === undefined ? 100 : Number(q.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        throw new HttpError(400, 'bad_request', 'limit must be a whole number from 1 to 1000');
      const rows = await listTasks(ctx.db, {
        limit,
        ...(q.assignee ? { assignee: q.assignee } : {}),
        ...(q.customer ? { customer: q.customer } : {}),
        ...(q.status ? { status: q.status } : {}),
      });
      const now = ctx.now();
      return c.json({ tasks: rows.map((r) => taskView(r, ctx.crypto, now)) });
    })
    .post('/:id/complete', requires('customers:write'), async (c) => {
      const id = c.req.param('id');
      if (!UUID.test(id)) throw notFound(id);
      // The body is optional: an empty POST completes the task without an outcome.
      const body = completion((await readOptionalJson(c)) ?? {});
      const by = body.by ?? callerOf(c).name;
      const done = await completeTask(ctx.db, id, by, body.outcome ?? null, ctx.now());
      if (!done) {
        const task = await getTask(ctx.db, id);
        if (!task) throw notFound(id);
        // Heals a crash between completing and announcing (the event's id makes it once).
        await announce(ctx, task);
        throw new HttpError(
          409,
          'conflict',
          `task ${id} was completed already (${task.completed_at?.toISOString()})`,
        );
      }
      await announce(ctx, done);
      return c.json(taskView(done, ctx.crypto, ctx.now()));
    });
}

/** `task.completed` for the customer's runs, once per task. */
async function announce(ctx: PluginContext, task: TaskRow): Promise<void> {
  await ctx.events.emit([
    {
      id: `task.completed:${task.id}`,
      customerId: task.customer_id,
      type: 'task.completed',
      data: {
        taskId: task.id,
        assignee: task.assignee,
        outcome: task.outcome,
        by: task.completed_by,
        workflow: task.workflow_id,
      },
    },
  ]);
}
