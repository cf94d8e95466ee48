import { Hono } from 'hono';
import { badRequest, conflict, notFound } from '../errors.ts';
import type { KeyRing } from '../privacy/key-ring.ts';
import type { AppEnv } from '../server/services.ts';
import { completeTask, getTask, listTasks, type TaskRow } from '../store/tasks.ts';
import { requires } from './auth.ts';
import { bodyShape, readOptionalJson } from './body.ts';

const completion = bodyShape<{ outcome?: string; by?: string }>({
  type: 'object',
  properties: {
    outcome: { type: 'string', minLength: 1, maxLength: 200 },
    by: { type: 'string', minLength: 1, maxLength: 200 },
  },
  additionalProperties: false,
});
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Follow-up tasks from journeys. `GET /api/tasks?assignee=` is a staff member's list;
 * completing one sends `task.completed` to the customer's runs (once).
 */
export const tasksApi = new Hono<AppEnv>()
  .get('/', requires('read'), async (c) => {
    const q = c.req.query();
    if (q.status !== undefined && q.status !== 'open' && q.status !== 'done')
      throw badRequest('status must be open or done');
    const limit = q.limit === undefined ? 100 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw badRequest('limit must be a whole number from 1 to 1000');
    const rows = await listTasks(c.var.services.db, {
      limit,
      ...(q.assignee ? { assignee: q.assignee } : {}),
      ...(q.customer ? { customer: q.customer } : {}),
      ...(q.status ? { status: q.status } : {}),
    });
    const now = c.var.services.now();
    return c.json({ tasks: rows.map((r) => taskView(r, c.var.services.customers.keys, now)) });
  })
  .post('/:id/complete', requires('customers:write'), async (c) => {
    const id = c.req.param('id');
    if (!UUID.test(id)) throw notFound(`task "${id}"`);
    // The body is optional: an empty POST completes the task without an outcome.
    const body = completion((await readOptionalJson(c)) ?? {});
    const { db, now, steps, customers } = c.var.services;
    const by = body.by ?? c.var.principal.name;
    const done = await completeTask(db, id, by, body.outcome ?? null, now());
    if (!done) {
      const task = await getTask(db, id);
      if (!task) throw notFound(`task "${id}"`);
      throw conflict(`task ${id} was completed already (${task.completed_at?.toISOString()})`);
    }
    await steps.events.emit([
      {
        id: `task.completed:${id}`,
        customerId: done.customer_id,
        type: 'task.completed',
        data: { taskId: id, assignee: done.assignee, outcome: done.outcome, by, workflow: done.workflow_id },
      },
    ]);
    return c.json(taskView(done, customers.keys, now()));
  });

/** A task as the API shows it: title and note decrypted. */
export function taskView(r: TaskRow, keys: KeyRing, now: Date) {
  return {
    id: r.id,
    customerId: r.customer_id,
    assignee: r.assignee,
    title: keys.decrypt(r.title_enc),
    note: r.note_enc ? keys.decrypt(r.note_enc) : null,
    status: r.status,
    overdue: r.status === 'open' && r.due_at.getTime() < now.getTime(),
    dueAt: r.due_at.toISOString(),
    createdAt: r.created_at.toISOString(),
    completedAt: r.completed_at?.toISOString() ?? null,
    completedBy: r.completed_by,
    outcome: r.outcome,
    workflowId: r.workflow_id,
    runId: r.run_id,
    remindedAt: r.reminded_at?.toISOString() ?? null,
  };
}
