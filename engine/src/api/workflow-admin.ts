import { Hono } from 'hono';
import { notFound } from '../errors.ts';
import { getLayout, type Positions, saveLayout } from '../store/editor-layouts.ts';
import { getWorkflow, setArchived } from '../store/workflows.ts';
import type { AppEnv } from './app-env.ts';
import { requires } from './auth.ts';
import { bodyShape, readJson } from './body.ts';

export const layoutBody = bodyShape<{ positions: Positions }>({
  type: 'object',
  properties: {
    positions: {
      type: 'object',
      maxProperties: 5000,
      additionalProperties: {
        type: 'object',
        properties: { x: { type: 'number' }, y: { type: 'number' } },
        required: ['x', 'y'],
        additionalProperties: false,
      },
    },
  },
  required: ['positions'],
  additionalProperties: false,
});

const ID = /^[a-z0-9][a-z0-9-]*$/;

/** The editor's extras on a workflow: where its nodes sit on the canvas, archiving. */
export const workflowAdminApi = new Hono<AppEnv>()
  .get('/:id/layout', requires('read'), async (c) => {
    const id = c.req.param('id');
    return c.json({ id, positions: ID.test(id) ? await getLayout(c.var.services.db, id) : {} });
  })
  .put('/:id/layout', requires('workflows:write'), async (c) => {
    const id = c.req.param('id');
    const { positions } = layoutBody(await readJson(c));
    const { db } = c.var.services;
    if (!(await getWorkflow(db, id))) throw notFound(`workflow "${id}"`);
    await saveLayout(db, id, positions, c.var.principal.name, c.var.services.now());
    return c.json({ id, positions });
  })
  .post('/:id/archive', requires('workflows:write'), async (c) => {
    const id = c.req.param('id');
    if (!(await setArchived(c.var.services.db, id, true, c.var.services.now())))
      throw notFound(`workflow "${id}"`);
    return c.json({ id, archived: true });
  })
  .delete('/:id/archive', requires('workflows:write'), async (c) => {
    const id = c.req.param('id');
    if (!(await setArchived(c.var.services.db, id, false, c.var.services.now())))
      throw notFound(`workflow "${id}"`);
    return c.json({ id, archived: false });
  });
