import { createHash } from 'node:crypto';
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
  parseDuration,
  parseTimeCursor,
  readJson,
  readOptionalJson,
  requires,
  timeCursor,
} from '@tend/plugin-sdk';
import { announce } from './announce.ts';
import { changeView, complaintView } from './complaint-view.ts';
import {
  type ComplaintStatus,
  changesOf,
  complaintFigures,
  type FiguresBy,
  getComplaint,
  listComplaints,
  type Move,
  moveComplaint,
} from './complaints-store.ts';
import { formLink } from './form-routes.ts';
import { takeComplaint } from './intake.ts';
import {
  deadlineMs,
  hoursOf,
  type PolicyCatalog,
  SEVERITIES,
  type Severity,
  teamsByPerson,
} from './policy.ts';
import { addWorkingTime } from './working-hours.ts';

export const newComplaint = bodyShape<{
  customerId: string;
  category: string;
  severity?: Severity;
  description: string;
  attachments?: string[];
  store?: string;
  channel?: 'api' | 'event' | 'staff';
}>({
  type: 'object',
  properties: {
    customerId: { type: 'string', minLength: 1, maxLength: 200 },
    category: { type: 'string', minLength: 1, maxLength: 100 },
    severity: { enum: [...SEVERITIES] },
    description: { type: 'string', minLength: 1, maxLength: 4000 },
    attachments: {
      type: 'array',
      maxItems: 10,
      items: { type: 'string', pattern: '^https?://', maxLength: 500 },
    },
    store: { type: 'string', minLength: 1, maxLength: 100 },
    channel: { enum: ['api', 'event', 'staff'] },
  },
  required: ['customerId', 'category', 'description'],
  additionalProperties: false,
});
const note = { type: 'string', minLength: 1, maxLength: 4000 } as const;
export const withNote = (required: boolean) =>
  bodyShape<{ note?: string }>({
    type: 'object',
    properties: { note },
    ...(required ? { required: ['note'] } : {}),
    additionalProperties: false,
  });
const STATUSES: ComplaintStatus[] = ['open', 'acknowledged', 'resolved', 'closed'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const bad = (message: string) => new HttpError(400, 'bad_request', message);
const notFound = (id: string) => new HttpError(404, 'not_found', `complaint "${id}" not found`);

/** What each move needs said, and the event it sends. */
export const MOVE_RULES: Record<Move, { note: 'required' | 'optional'; event: string }> = {
  acknowledge: { note: 'optional', event: 'complaint.acknowledged' },
  resolve: { note: 'required', event: 'complaint.resolved' },
  close: { note: 'optional', event: 'complaint.closed' },
  reopen: { note: 'required', event: 'complaint.reopened' },
};

/**
 * Complaints for the people who handle them: file one (`POST`, idempotent by
 * `Idempotency-Key`), list and open them, move them on (acknowledge, resolve with a note, close,
 * reopen with a reason: each an event journeys wait for), the figures of the analysis, and a
 * signed link to the hosted form for a customer.
 */
export function complaintsApi(ctx: PluginContext, policies: PolicyCatalog) {
  const body = (raw: unknown, required: boolean) => withNote(required)(raw ?? {});
  const app = new Hono<PluginEnv>()
    .get('/', requires('read', { ownCustomers: true }), async (c) => {
      const q = c.req.query();
      const status = q.status
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const wrong = status?.find((s) => !STATUSES.includes(s as ComplaintStatus));
      if (wrong) throw bad(`status: "${wrong}" is not one of ${STATUSES.join(', ')}`);
      const limit = q.limit === undefined ? 50 : Number(q.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500)
        throw bad('limit must be a whole number from 1 to 500');
      const owners = whose(q.owner, callerOf(c));
      const rows = await listComplaints(ctx.db, {
        limit,
        ...(status ? { status: status as ComplaintStatus[] } : {}),
        ...(owners ? { owners } : {}),
        ...(q.customer ? { customer: q.customer } : {}),
        ...(q.category ? { category: q.category } : {}),
        ...(q.breached === 'true' ? { breached: true } : {}),
        ...(q.after ? { after: parseTimeCursor(q.after) } : {}),
      });
      const now = ctx.now();
      const last = rows.at(-1);
      return c.json({
        complaints: rows.map((r) => complaintView(r, ctx.crypto, now)),
        next: rows.length === limit && last ? timeCursor(last.received_at, last.id) : null,
        now: now.toISOString(),
      });
    })
    .get('/policy', requires('read', { ownCustomers: true }), (c) => {
      const policy = policies.get();
      return c.json({
        categories: policy.categories,
        deadlines: policy.deadlines,
        teams: policy.teams,
        problems: policies.problems(),
      });
    })
    .get('/figures', requires('read'), async (c) => {
      const q = c.req.query();
      const window = parseDuration(q.since ?? '30d');
      if (!window.ok) throw bad(`since: "${q.since}" is not a duration such as 30d or 12w`);
      if (q.by !== undefined && !['category', 'owner', 'store', 'team'].includes(q.by))
        throw bad('by must be category, owner, store or team');
      const since = new Date(ctx.now().getTime() - window.ms);
      const [all] = await complaintFigures(ctx.db, since, null);
      const by: FiguresBy =
        q.by === 'team'
          ? { teams: teamsByPerson(policies.get()) }
          : ((q.by as 'category' | 'owner' | 'store' | undefined) ?? null);
      const groups = by ? await complaintFigures(ctx.db, since, by) : [];
      return c.json({ since: since.toISOString(), all: all ?? null, by: q.by ?? null, groups });
    })
    .get('/form-link', requires('read', { ownCustomers: true }), async (c) => {
      const id = c.req.query('customer');
      if (!id) throw bad('customer: give the customer whose link this is');
      const customer = await ctx.customers.get(id);
      if (!customer || !inScope(callerOf(c), customer.owner))
        throw new HttpError(404, 'not_found', `customer "${id}" not found`);
      const link = formLink(ctx, customer.id, customer.locale ?? null);
      return c.json({ url: link.url, expiresAt: link.expiresAt.toISOString() });
    })
    .post('/', requires('customers:write', { ownCustomers: true }), async (c) => {
      const input = newComplaint(await readJson(c));
      const caller = callerOf(c);
      if (caller.scope) {
        const customer = await ctx.customers.get(input.customerId);
        if (!customer || !inScope(caller, customer.owner))
          throw new HttpError(404, 'unknown_customer', `customer "${input.customerId}" not found`);
      }
      // Without an Idempotency-Key the same complaint posted twice is still one (by its content).
      const key =
        c.req.header('idempotency-key') ??
        `api:${createHash('sha256')
          .update(JSON.stringify([caller.name, input]))
          .digest('base64url')}`;
      if (key.length > 200) throw bad('Idempotency-Key: at most 200 characters');
      const taken = await takeComplaint(ctx, policies, {
        key,
        customerId: input.customerId,
        channel: input.channel ?? 'api',
        category: input.category,
        severity: input.severity ?? 'medium',
        description: input.description,
        attachments: input.attachments ?? [],
        store: input.store ?? null,
        by: caller.name,
      });
      if (!taken.ok) {
        const status = taken.code === 'unknown_customer' ? 404 : 422;
        throw new HttpError(status, taken.code, taken.message);
      }
      return c.json(complaintView(taken.row, ctx.crypto, ctx.now()), taken.created ? 201 : 200);
    })
    .get('/:id', requires('read', { ownCustomers: true }), async (c) => {
      const row = await getComplaint(ctx.db, complaintId(c.req.param('id')));
      if (!row || !inScope(callerOf(c), row.owner)) throw notFound(c.req.param('id'));
      const changes = await changesOf(ctx.db, row.id);
      return c.json({
        ...complaintView(row, ctx.crypto, ctx.now()),
        changes: changes.map((ch) => changeView(ch, ctx.crypto)),
      });
    });
  for (const move of Object.keys(MOVE_RULES) as Move[]) {
    app.post(`/:id/${move}`, requires('customers:write', { ownCustomers: true }), async (c) => {
      const id = complaintId(c.req.param('id'));
      const rule = MOVE_RULES[move];
      const { note: text } = body(await readOptionalJson(c), rule.note === 'required');
      return moved(c, id, move, text ?? null);
    });
  }
  return app;

  async function moved(c: Context<PluginEnv>, id: string, move: Move, text: string | null) {
    const before = await getComplaint(ctx.db, id);
    if (!before || !inScope(callerOf(c), before.owner)) throw notFound(id);
    const at = ctx.now();
    const resolveBy =
      move === 'reopen'
        ? addWorkingTime(
            at,
            deadlineMs(policies.get(), before.severity as Severity).resolve,
            hoursOf(policies.get(), before.owner, ctx.host.defaultTimezone),
          )
        : undefined;
    const changeId = `${id}:${move}:${at.getTime()}`;
    const done = await moveComplaint(ctx.db, id, move, {
      changeId,
      by: callerOf(c).name,
      at,
      note: text ? ctx.crypto.encrypt(text) : null,
      ...(resolveBy ? { resolveBy } : {}),
    });
    if (!done) {
      throw new HttpError(
        409,
        'conflict',
        `complaint ${id} is ${before.status}: it cannot be ${pastTense(move)} now`,
      );
    }
    await announce(ctx, done.row, MOVE_RULES[move].event, changeId, { by: done.change.by });
    return c.json({
      ...complaintView(done.row, ctx.crypto, at),
      change: changeView(done.change, ctx.crypto),
    });
  }
}

const pastTense = (move: Move) =>
  ({ acknowledge: 'acknowledged', resolve: 'resolved', close: 'closed', reopen: 'reopened' })[move];

/**
 * `owner=me` is the signed-in person (by their id or email). A staff member sees only complaints
 * they own, whatever they ask for.
 */
function whose(owner: string | undefined, caller: Caller): string[] | undefined {
  const asked =
    owner === undefined
      ? undefined
      : owner !== 'me'
        ? [owner]
        : caller.user
          ? [caller.user.id, caller.user.email]
          : [caller.name];
  const scope = caller.scope;
  return scope ? (asked ?? scope).filter((o) => scope.includes(o)) : asked;
}

function complaintId(raw: string): string {
  if (!UUID.test(raw)) throw notFound(raw);
  return raw;
}
