import {
  bodyShape,
  type Caller,
  type Context,
  callerOf,
  Hono,
  HttpError,
  inScope,
  type PluginContext,
  type PluginEnv,
  parseTimeCursor,
  readJson,
  readOptionalJson,
  requires,
  timeCursor,
} from '@tend/plugin-sdk';
import { isTimeZone, parseDuration } from '@tend/plugin-sdk/time';
import { announce } from './announce.ts';
import { followupsApi } from './followups-routes.ts';
import { endOfLocalDay } from './local-day.ts';
import type { TasksSettings } from './settings.ts';
import { changeView, taskView } from './task-view.ts';
import {
  changesOf,
  changeTask,
  completeTask,
  countTasks,
  type DueBucket,
  getTask,
  listTasks,
  type TaskFilter,
} from './tasks-store.ts';

export const completion = bodyShape<{ outcome?: string; note?: string; by?: string }>({
  type: 'object',
  properties: {
    outcome: { type: 'string', minLength: 1, maxLength: 200 },
    note: { type: 'string', maxLength: 2000 },
    by: { type: 'string', minLength: 1, maxLength: 200 },
  },
  additionalProperties: false,
});
const reason = { type: 'string', minLength: 1, maxLength: 500 } as const;
export const snooze = bodyShape<{ until?: string; for?: string; reason: string }>({
  type: 'object',
  properties: {
    until: { type: 'string', format: 'date-time' },
    for: { type: 'string', minLength: 2, maxLength: 20 },
    reason,
  },
  required: ['reason'],
  additionalProperties: false,
});
export const reassign = bodyShape<{ assignee: string; reason: string }>({
  type: 'object',
  properties: { assignee: { type: 'string', minLength: 1, maxLength: 200 }, reason },
  required: ['assignee', 'reason'],
  additionalProperties: false,
});
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BUCKETS: DueBucket[] = ['overdue', 'today', 'upcoming'];
const notFound = (id: string) => new HttpError(404, 'not_found', `task "${id}" not found`);
const bad = (message: string) => new HttpError(400, 'bad_request', message);

/**
 * The staff's task inbox. `GET /api/tasks?assignee=me&due=today&tz=Asia/Shanghai` lists tasks
 * (open ones by due date, done ones newest first, a page at a time); completing one sends
 * `task.completed` with its outcome to the customer's runs (once); snoozing or reassigning needs
 * a reason and is recorded with it.
 */
export function tasksApi(ctx: PluginContext<TasksSettings>) {
  const now = () => ctx.now();
  return new Hono<PluginEnv>()
    .route('/followups', followupsApi(ctx))
    .get('/', requires('read', { ownCustomers: true }), async (c) => {
      const q = c.req.query();
      if (q.status !== undefined && q.status !== 'open' && q.status !== 'done')
        throw bad('status must be open or done');
      if (q.due !== undefined && !BUCKETS.includes(q.due as DueBucket))
        throw bad('due must be overdue, today or upcoming');
      const limit = q.limit === undefined ? 100 : Number(q.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        throw bad('limit must be a whole number from 1 to 1000');
      const at = now();
      const rows = await listTasks(ctx.db, {
        limit,
        ...who(q, callerOf(c)),
        ...(q.status ? { status: q.status as 'open' | 'done' } : {}),
        ...(q.due
          ? { due: { bucket: q.due as DueBucket, now: at, endOfDay: endOfLocalDay(at, zone(q, ctx)) } }
          : {}),
        ...(q.after ? { after: parseTimeCursor(q.after) } : {}),
      });
      const last = rows.at(-1);
      const next =
        rows.length === limit && last
          ? timeCursor((q.status === 'done' ? last.completed_at : last.due_at) ?? last.due_at, last.id)
          : null;
      // `now` is the engine's time: screens count "in an hour" from it, not from the browser's clock.
      return c.json({ tasks: rows.map((r) => taskView(r, ctx.crypto, at)), next, now: at.toISOString() });
    })
    .get('/counts', requires('read', { ownCustomers: true }), async (c) => {
      const q = c.req.query();
      const at = now();
      return c.json(
        await countTasks(ctx.db, {
          ...who(q, callerOf(c)),
          now: at,
          endOfDay: endOfLocalDay(at, zone(q, ctx)),
        }),
      );
    })
    .get('/:id', requires('read', { ownCustomers: true }), async (c) => {
      const task = await getTask(ctx.db, taskId(c.req.param('id')));
      if (!task || !inScope(callerOf(c), task.assignee)) throw notFound(c.req.param('id'));
      const changes = await changesOf(ctx.db, task.id);
      return c.json({
        ...taskView(task, ctx.crypto, now()),
        changes: changes.map((ch) => changeView(ch, ctx.crypto)),
      });
    })
    .post('/:id/complete', requires('customers:write', { ownCustomers: true }), async (c) => {
      const id = await ownTask(c);
      // The body is optional: an empty POST completes the task without an outcome.
      const body = completion((await readOptionalJson(c)) ?? {});
      const done = await completeTask(ctx.db, id, {
        by: body.by ?? callerOf(c).name,
        outcome: body.outcome ?? null,
        note: body.note ? ctx.crypto.encrypt(body.note) : null,
        at: now(),
      });
      if (!done) {
        const task = await getTask(ctx.db, id);
        if (!task) throw notFound(id);
        // Heals a crash between completing and announcing (the event's id makes it once).
        await announce(ctx, task, 'task.completed', task.id);
        throw new HttpError(
          409,
          'conflict',
          `task ${id} was completed already (${task.completed_at?.toISOString()})`,
        );
      }
      await announce(ctx, done, 'task.completed', done.id);
      return c.json(taskView(done, ctx.crypto, now()));
    })
    .post('/:id/snooze', requires('customers:write', { ownCustomers: true }), async (c) => {
      const id = await ownTask(c);
      const body = snooze(await readJson(c));
      const at = now();
      if ((body.for === undefined) === (body.until === undefined))
        throw bad('give until (a date and time) or for (a duration such as 2h or 1d), one of them');
      let until: Date;
      if (body.for !== undefined) {
        const d = parseDuration(body.for);
        if (!d.ok) throw bad(`for: "${body.for}" is not a duration such as 2h, 1d or 1w`);
        until = new Date(at.getTime() + d.ms);
      } else until = new Date(body.until as string);
      if (until.getTime() <= at.getTime()) throw bad('until: a task is snoozed to a later time');
      return changed(c, id, { kind: 'snoozed', dueAt: until }, body.reason);
    })
    .post('/:id/reassign', requires('customers:write', { ownCustomers: true }), async (c) => {
      const id = await ownTask(c);
      const body = reassign(await readJson(c));
      return changed(c, id, { kind: 'reassigned', assignee: body.assignee }, body.reason);
    });

  /** The task of the path, when the caller may see it (a staff member: theirs); else 404. */
  async function ownTask(c: Context<PluginEnv>): Promise<string> {
    const id = taskId(c.req.param('id') ?? '');
    const caller = callerOf(c);
    if (caller.scope) {
      const task = await getTask(ctx.db, id);
      if (!task || !inScope(caller, task.assignee)) throw notFound(id);
    }
    return id;
  }

  async function changed(
    c: Context<PluginEnv>,
    id: string,
    change: Parameters<typeof changeTask>[2],
    why: string,
  ) {
    const r = await changeTask(ctx.db, id, change, {
      by: callerOf(c).name,
      at: now(),
      reason: ctx.crypto.encrypt(why),
    });
    if (!r) {
      const task = await getTask(ctx.db, id);
      if (!task) throw notFound(id);
      throw new HttpError(409, 'conflict', `task ${id} is done: only open tasks are snoozed or reassigned`);
    }
    await announce(ctx, r.task, `task.${change.kind}`, `${r.task.id}:${r.change.id}`);
    return c.json({ ...taskView(r.task, ctx.crypto, now()), change: changeView(r.change, ctx.crypto) });
  }
}

/**
 * `assignee=me` is the signed-in person (by their id or email); `customer=` one customer's tasks.
 * A staff member sees only tasks assigned to them, whatever they ask for.
 */
function who(q: Record<string, string>, caller: Caller): Pick<TaskFilter, 'assignees' | 'customer'> {
  const asked =
    q.assignee === 'me'
      ? caller.user
        ? [caller.user.id, caller.user.email]
        : [caller.name]
      : q.assignee
        ? [q.assignee]
        : undefined;
  const assignees = caller.scope ? (asked ?? caller.scope).filter((a) => caller.scope?.includes(a)) : asked;
  return { ...(assignees ? { assignees } : {}), ...(q.customer ? { customer: q.customer } : {}) };
}

/** The viewer's time zone (for "due today"); the installation's when none is given. */
function zone(q: Record<string, string>, ctx: PluginContext<TasksSettings>): string {
  if (q.tz === undefined) return ctx.host.defaultTimezone;
  if (!isTimeZone(q.tz)) throw bad(`tz: "${q.tz}" is not an IANA time zone such as Asia/Shanghai`);
  return q.tz;
}

function taskId(raw: string): string {
  if (!UUID.test(raw)) throw notFound(raw);
  return raw;
}
