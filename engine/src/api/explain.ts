import { Hono } from 'hono';
import { explainCustomer } from '../explain/explain.ts';
import type { AppEnv } from './app-env.ts';
import { requires } from './auth.ts';

/** GET /api/customers/:id/explain?workflow=: why the customer is where they are, or is not. */
export const explainApi = new Hono<AppEnv>().get('/:id/explain', requires('read'), async (c) => {
  const workflow = c.req.query('workflow') || undefined;
  return c.json(await explainCustomer(c.var.services.runtime, c.req.param('id'), workflow));
});
