import { Hono } from 'hono';
import { notFound } from '../errors.ts';
import { migrateRuns } from '../operations/migrate-runs.ts';
import { pauseWorkflow, resumeWorkflow } from '../operations/pause.ts';
import type { AppEnv } from './app-env.ts';
import { requires } from './auth.ts';
import { bodyShape, readJson } from './body.ts';

export const resumeBody = bodyShape<{ admit: boolean }>({
  type: 'object',
  properties: { admit: { type: 'boolean' } },
  required: ['admit'],
  additionalProperties: false,
});

export const migrateBody = bodyShape<{
  from: number;
  to: number;
  map?: Record<string, string>;
  leave?: boolean;
  dryRun?: boolean;
}>({
  type: 'object',
  properties: {
    from: { type: 'integer', minimum: 1 },
    to: { type: 'integer', minimum: 1 },
    map: { type: 'object', additionalProperties: { type: 'string', minLength: 1 } },
    leave: { type: 'boolean' },
    dryRun: { type: 'boolean' },
  },
  required: ['from', 'to'],
  additionalProperties: false,
});

/** Operating live journeys: pause, resume, and moving running customers between versions. */
export const operationsApi = new Hono<AppEnv>()
  .post('/:id/pause', requires('workflows:publish'), async (c) => {
    const paused = await pauseWorkflow(
      c.var.services.db,
      c.req.param('id'),
      c.var.principal.name,
      c.var.services.now(),
    );
    if (!paused) throw notFound(`workflow "${c.req.param('id')}"`);
    return c.json({ ...paused, paused: true });
  })
  .post('/:id/resume', requires('workflows:publish'), async (c) => {
    const { admit } = resumeBody(await readJson(c));
    const resumed = await resumeWorkflow(
      c.var.services.runtime,
      c.req.param('id'),
      c.var.principal.name,
      admit,
    );
    if (!resumed) throw notFound(`workflow "${c.req.param('id')}"`);
    return c.json({ ...resumed, paused: false });
  })
  .post('/:id/migrate-runs', requires('workflows:publish'), async (c) => {
    const body = migrateBody(await readJson(c));
    const plan = await migrateRuns(c.var.services.runtime, {
      workflowId: c.req.param('id'),
      from: body.from,
      to: body.to,
      map: body.map ?? {},
      leave: body.leave ?? false,
      dryRun: body.dryRun ?? false,
      actor: c.var.principal.name,
    });
    return c.json(plan);
  });
