import { Hono } from 'hono';
import { publishedWorkflow } from '../catalog/published-workflows.ts';
import { AppError, badRequest, notFound } from '../errors.ts';
import { QUEUES } from '../queue/queues.ts';
import { audit } from '../store/audit-log.ts';
import {
  type BulkActionRow,
  createBulkAction,
  getBulkAction,
  recentBulkActions,
} from '../store/bulk-actions.ts';
import { countCustomers } from '../store/customers.ts';
import { timeOrderedId } from '../time-ordered-id.ts';
import type { BulkParams } from '../workers/bulk-actions.ts';
import type { AppEnv } from './app-env.ts';
import { requires } from './auth.ts';
import { bodyShape, readJson } from './body.ts';
import { listSelection } from './customer-list.ts';
import { can } from './permissions.ts';

const TAG = /^[\p{L}\p{N}][\p{L}\p{N}_.:-]{0,63}$/u;
const ACTIONS = ['tag', 'untag', 'start', 'erase'] as const;

const bulkBody = bodyShape<{
  action: (typeof ACTIONS)[number];
  tag?: string;
  workflow?: string;
  filter?: Record<string, string>;
}>({
  type: 'object',
  required: ['action'],
  additionalProperties: false,
  properties: {
    action: { enum: [...ACTIONS] },
    tag: { type: 'string', maxLength: 64 },
    workflow: { type: 'string', maxLength: 100 },
    filter: { type: 'object', additionalProperties: { type: 'string', maxLength: 200 }, maxProperties: 20 },
  },
});

const view = (r: BulkActionRow) => ({
  id: r.id,
  action: r.action,
  params: r.params,
  status: r.status,
  total: r.total,
  done: r.done,
  error: r.error,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
  finishedAt: r.finished_at?.toISOString() ?? null,
});

/**
 * Bulk actions on the customers of a list filter (the same query the list takes, name search
 * included): add or remove a tag, start a journey (its trigger event to each), erase (admins).
 * The workers carry them out a page at a time; `GET /:id` shows how far they are.
 */
export const customerBulkApi = new Hono<AppEnv>()
  .get('/', requires('customers:write'), async (c) =>
    c.json({ actions: (await recentBulkActions(c.var.services.db, 10)).map(view) }),
  )
  .get('/:id', requires('customers:write'), async (c) => {
    const row = await getBulkAction(c.var.services.db, c.req.param('id'));
    if (!row) throw notFound(`bulk action "${c.req.param('id')}"`);
    return c.json(view(row));
  })
  .post('/', requires('customers:write'), async (c) => {
    const { db, boss, now } = c.var.services;
    const body = bulkBody(await readJson(c));
    if (body.action === 'erase' && !can(c.var.principal.role, 'customers:erase'))
      throw new AppError(403, 'forbidden', 'erasing customers needs the customers:erase permission (admins)');
    let params: BulkParams = {};
    if (body.action === 'tag' || body.action === 'untag') {
      if (!body.tag || !TAG.test(body.tag))
        throw badRequest('tag: letters, digits and _ . : - (up to 64), starting with a letter or digit');
      params = { tag: body.tag };
    }
    if (body.action === 'start') {
      if (!body.workflow) throw badRequest('workflow: which journey to start');
      const wf = await publishedWorkflow(db, body.workflow);
      if (!wf) throw badRequest(`workflow: "${body.workflow}" is not a published journey`);
      const trigger = wf.compiled.trigger;
      if (trigger.kind !== 'event')
        throw badRequest(
          `workflow: "${body.workflow}" starts on its ${trigger.kind}, not on an event Tend can send`,
        );
      params = { event: trigger.event, workflow: body.workflow };
    }
    const selection = listSelection(c, body.filter ?? {});
    const id = timeOrderedId(now().getTime());
    const at = now();
    const total = await countCustomers(db, selection.filter);
    await db.transaction().execute(async (trx) => {
      await createBulkAction(
        trx,
        {
          id,
          action: body.action,
          total,
          created_by: c.var.principal.name,
          params,
          filter: selection as unknown as Record<string, unknown>,
        },
        at,
      );
      await audit(
        trx,
        [
          {
            actor: c.var.principal.name,
            action: `bulk-${body.action}`,
            entity: 'customers',
            entityId: id,
            detail: { filter: body.filter ?? {}, params, total },
          },
        ],
        at,
      );
    });
    await boss.send(QUEUES.bulk, { action: id });
    return c.json(view((await getBulkAction(db, id)) as BulkActionRow), 202);
  });
