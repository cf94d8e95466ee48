import { Hono } from 'hono';
import { isTimeZone } from '../calendar/time-zone.ts';
import { badRequest, notFound } from '../errors.ts';
import type { AppEnv } from '../server/services.ts';
import { getCustomer, upsertCustomer } from '../store/customers.ts';
import { listRuns } from '../store/runs.ts';
import { requires } from './auth.ts';
import { bodyShape, readJson } from './body.ts';

type CustomerBody = { timezone?: string | null; attributes?: Record<string, unknown>; tags?: string[] };

const customerBody = bodyShape<CustomerBody>({
  type: 'object',
  properties: {
    timezone: { type: ['string', 'null'], maxLength: 64 },
    attributes: { type: 'object' },
    tags: {
      type: 'array',
      items: { type: 'string', minLength: 1, maxLength: 100 },
      maxItems: 500,
      uniqueItems: true,
    },
  },
  additionalProperties: false,
});

const ID = /^[^\s/]{1,200}$/;

/** Customer profiles (the external id is the key). */
export const customersApi = new Hono<AppEnv>()
  .put('/:id', requires('customers:write'), async (c) => {
    const id = customerId(c.req.param('id'));
    const body = customerBody(await readJson(c));
    if (body.timezone && !isTimeZone(body.timezone)) {
      throw badRequest(`timezone "${body.timezone}" is not an IANA time zone such as Asia/Shanghai`);
    }
    const { created } = await upsertCustomer(c.var.services.db, id, body);
    const customer = await getCustomer(c.var.services.db, id);
    return c.json(customer, created ? 201 : 200);
  })
  .get('/:id', requires('read'), async (c) => {
    const id = customerId(c.req.param('id'));
    const { db } = c.var.services;
    const customer = await getCustomer(db, id);
    if (!customer) throw notFound(`customer "${id}"`);
    const runs = await listRuns(db, { customer: id, status: 'active', limit: 100 });
    return c.json({ ...customer, activeRuns: runs });
  });

function customerId(raw: string): string {
  const id = decodeURIComponent(raw);
  if (!ID.test(id)) throw badRequest('a customer id is 1 to 200 characters without spaces or slashes');
  return id;
}
