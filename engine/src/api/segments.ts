import { checkCel } from '@tend/plugin-sdk/cel';
import { type Context, Hono } from 'hono';
import { AppError, badRequest, notFound } from '../errors.ts';
import { inTransaction } from '../queue/boss.ts';
import { QUEUES, type SegmentJob } from '../queue/queues.ts';
import { isMember } from '../segments/evaluate.ts';
import { audit } from '../store/audit-log.ts';
import { customerPage } from '../store/customer-scans.ts';
import { segmentMembers } from '../store/segment-members.ts';
import { deleteSegment, getSegment, listSegments, saveSegment } from '../store/segments.ts';
import type { AppEnv } from './app-env.ts';
import { requires } from './auth.ts';
import { bodyShape, readJson } from './body.ts';

type SegmentBody = { id?: string; name: string; description?: string; definition: string };
const properties = {
  id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' },
  name: { type: 'string', minLength: 1, maxLength: 200 },
  description: { type: 'string', maxLength: 2000 },
  definition: { type: 'string', minLength: 1, maxLength: 4000 },
};
export const createBody = bodyShape<SegmentBody & { id: string }>({
  type: 'object',
  properties,
  required: ['id', 'name', 'definition'],
  additionalProperties: false,
});
export const updateBody = bodyShape<SegmentBody>({
  type: 'object',
  properties,
  required: ['name', 'definition'],
  additionalProperties: false,
});
export const previewBody = bodyShape<{ definition: string; limit?: number }>({
  type: 'object',
  properties: { definition: properties.definition, limit: { type: 'integer', minimum: 1, maximum: 100 } },
  required: ['definition'],
  additionalProperties: false,
});

const PREVIEW_SCAN = 2000;

/**
 * Saved segments: a CEL condition over the customer (profile, tags, stage, rfm, consent).
 * Members are kept current as customers change; entering and leaving are events.
 */
export const segmentsApi = new Hono<AppEnv>()
  .get('/', requires('read'), async (c) => c.json({ segments: await listSegments(c.var.services.db) }))
  .post('/preview', requires('read'), async (c) => {
    const { definition, limit = 20 } = previewBody(await readJson(c));
    checkDefinition(definition);
    const { db, customers, now } = c.var.services;
    let after = '';
    let scanned = 0;
    let matched = 0;
    const sample: { id: string; name: string | null; email: string | null; stage: string | null }[] = [];
    for (;;) {
      const page = await customerPage(db, after, PREVIEW_SCAN);
      if (page.length === 0) break;
      after = page.at(-1)?.id as string;
      for (const row of page) {
        scanned += 1;
        const view = customers.view(row);
        if (!isMember({ definition }, view, now())) continue;
        matched += 1;
        if (sample.length < limit)
          sample.push({ id: view.id, name: view.name, email: view.email, stage: view.stage });
      }
    }
    // `sample` stays the ids it always was; `customers` names them for the builder's sample.
    return c.json({ matched, scanned, sample: sample.map((s) => s.id), customers: sample });
  })
  .post('/', requires('workflows:write'), async (c) => {
    const body = createBody(await readJson(c));
    return save(c, body.id, body, 'create');
  })
  .put('/:id', requires('workflows:write'), async (c) =>
    save(c, c.req.param('id'), updateBody(await readJson(c)), 'update'),
  )
  .get('/:id', requires('read'), async (c) => {
    const { db } = c.var.services;
    const segment = await getSegment(db, c.req.param('id'));
    if (!segment) throw notFound(`segment "${c.req.param('id')}"`);
    const members = await segmentMembers(db, segment.id, c.req.query('after') ?? '', 100);
    return c.json({ ...segment, members });
  })
  .delete('/:id', requires('workflows:write'), async (c) => {
    const { db } = c.var.services;
    const id = c.req.param('id');
    const gone = await db.transaction().execute(async (trx) => {
      const ok = await deleteSegment(trx, id);
      if (ok)
        await audit(
          trx,
          [{ actor: c.var.principal.name, action: 'delete', entity: 'segment', entityId: id }],
          c.var.services.now(),
        );
      return ok;
    });
    if (!gone) throw notFound(`segment "${id}"`);
    return c.json({ id, deleted: true });
  });

async function save(c: Context<AppEnv>, id: string, body: SegmentBody, action: string) {
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(id))
    throw badRequest('a segment id is lowercase letters, digits and dashes');
  checkDefinition(body.definition);
  const { db, boss } = c.var.services;
  const now = c.var.services.now();
  const created = await db.transaction().execute(async (trx) => {
    const made = await saveSegment(
      trx,
      {
        id,
        name: body.name,
        description: body.description ?? null,
        definition: body.definition,
        createdBy: c.var.principal.name,
      },
      now,
    );
    await audit(
      trx,
      [
        {
          actor: c.var.principal.name,
          action: made ? 'create' : action,
          entity: 'segment',
          entityId: id,
          detail: { definition: body.definition },
        },
      ],
      now,
    );
    await boss.send(QUEUES.segment, { segment: id } satisfies SegmentJob, { db: inTransaction(trx) });
    return made;
  });
  const segment = await getSegment(db, id);
  return c.json({ ...segment, evaluating: true }, created ? 201 : 200);
}

function checkDefinition(definition: string): void {
  const r = checkCel(definition);
  if (!r.ok) throw new AppError(422, 'invalid_definition', `CEL at character ${r.offset + 1}: ${r.message}`);
}
