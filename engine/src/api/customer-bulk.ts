import { CSV_BOM, csvLine } from '@tend/plugin-sdk';
import { Hono } from 'hono';
import { publishedWorkflow } from '../catalog/published-workflows.ts';
import { EXPORT_HEADER } from '../customers/export-csv.ts';
import { AppError, badRequest, notFound } from '../errors.ts';
import { QUEUES } from '../queue/queues.ts';
import { audit } from '../store/audit-log.ts';
import {
  type BulkActionRow,
  createBulkAction,
  dropOldExports,
  exportParts,
  getBulkAction,
  recentBulkActions,
} from '../store/bulk-actions.ts';
import { countCustomers } from '../store/customers.ts';
import type { Db } from '../store/db.ts';
import { timeOrderedId } from '../time-ordered-id.ts';
import type { BulkParams } from '../workers/bulk-actions.ts';
import type { AppEnv } from './app-env.ts';
import { requires } from './auth.ts';
import { bodyShape, readJson } from './body.ts';
import { listSelection } from './customer-list.ts';
import { can } from './permissions.ts';
import { readsThatMayLag } from './replica-reads.ts';

const TAG = /^[\p{L}\p{N}][\p{L}\p{N}_.:-]{0,63}$/u;
const ACTIONS = ['tag', 'untag', 'start', 'erase', 'export'] as const;
/** Parts of an export read at a time while it streams. */
const PARTS_AT_ONCE = 20;
/** The most rows one action takes picked by hand (a whole list is taken by its filter). */
const MAX_PICKED = 1000;

/** An export's file is kept this long after it is done (the action stays on record). */
const EXPORT_KEPT_MS = 86_400_000;

export const bulkBody = bodyShape<{
  action: (typeof ACTIONS)[number];
  tag?: string;
  workflow?: string;
  filter?: Record<string, string>;
  ids?: string[];
}>({
  type: 'object',
  required: ['action'],
  additionalProperties: false,
  properties: {
    action: { enum: [...ACTIONS] },
    tag: { type: 'string', maxLength: 64 },
    workflow: { type: 'string', maxLength: 100 },
    filter: { type: 'object', additionalProperties: { type: 'string', maxLength: 200 }, maxProperties: 20 },
    // Rows picked by hand in the list (within the filter, when both are given).
    ids: {
      type: 'array',
      items: { type: 'string', minLength: 1, maxLength: 200 },
      minItems: 1,
      maxItems: MAX_PICKED,
      uniqueItems: true,
    },
  },
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The action of an id; an id that is no action's (not even a UUID) is none, not an error. */
const actionOf = (db: Db, id: string) => (UUID.test(id) ? getBulkAction(db, id) : Promise.resolve(null));

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
 * included): add or remove a tag, start a journey (its trigger event to each), export as CSV or
 * erase (both admins).
 * The workers carry them out a page at a time; `GET /:id` shows how far they are.
 */
export const customerBulkApi = new Hono<AppEnv>()
  .get('/', requires('customers:write'), async (c) =>
    c.json({ actions: (await recentBulkActions(c.var.services.db, 10)).map(view) }),
  )
  .get('/:id', requires('customers:write'), async (c) => {
    const row = await actionOf(c.var.services.db, c.req.param('id'));
    if (!row) throw notFound(`bulk action "${c.req.param('id')}"`);
    return c.json(view(row));
  })
  // A finished export as one CSV file, streamed part by part (header first, UTF-8 with a BOM).
  .get('/:id/export.csv', requires('customers:erase'), async (c) => {
    const { customers } = c.var.services;
    const { db } = await readsThatMayLag(c);
    const row = await actionOf(db, c.req.param('id'));
    if (row?.action !== 'export') throw notFound(`export "${c.req.param('id')}"`);
    if (row.status !== 'done') throw new AppError(409, 'conflict', `export is ${row.status}, not done yet`);
    let next = 0;
    let started = false;
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(CSV_BOM + csvLine(EXPORT_HEADER)));
          return;
        }
        const parts = await exportParts(db, row.id, next, PARTS_AT_ONCE);
        for (const p of parts) controller.enqueue(encoder.encode(customers.keys.decrypt(p.body_enc)));
        next = (parts.at(-1)?.part ?? next) + 1;
        if (parts.length < PARTS_AT_ONCE) controller.close();
      },
    });
    return c.body(body, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="customers-${row.created_at.toISOString().slice(0, 10)}.csv"`,
    });
  })
  .post('/', requires('customers:write'), async (c) => {
    const { db, boss, now } = c.var.services;
    const body = bulkBody(await readJson(c));
    // Erasing, and taking everyone's personal data out in one file, are for admins.
    if (
      (body.action === 'erase' || body.action === 'export') &&
      !can(c.var.principal.role, 'customers:erase')
    )
      throw new AppError(403, 'forbidden', `${body.action} needs the customers:erase permission (admins)`);
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
    const listed = listSelection(c, body.filter ?? {});
    const selection = body.ids ? { ...listed, filter: { ...listed.filter, ids: body.ids } } : listed;
    const id = timeOrderedId(now().getTime());
    const at = now();
    const total = await countCustomers(db, selection.filter);
    await dropOldExports(db, new Date(at.getTime() - EXPORT_KEPT_MS));
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
            detail: {
              filter: body.filter ?? {},
              ...(body.ids ? { picked: body.ids.length } : {}),
              params,
              total,
            },
          },
        ],
        at,
      );
    });
    await boss.send(QUEUES.bulk, { action: id });
    return c.json(view((await getBulkAction(db, id)) as BulkActionRow), 202);
  });
