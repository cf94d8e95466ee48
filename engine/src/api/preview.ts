import { Hono } from 'hono';
import { validateWorkflow } from '../definitions/validate.ts';
import { badRequest, notFound } from '../errors.ts';
import type { StepOverride, TestCustomer, TestEvent } from '../journey-tests/format.ts';
import { preview, previewTimeProblem } from '../journey-tests/preview.ts';
import { getCustomerRow } from '../store/customers.ts';
import type { AppEnv } from './app-env.ts';
import { requires } from './auth.ts';
import { bodyShape, readJson } from './body.ts';

interface PreviewBody {
  yaml: string;
  customer?: TestCustomer;
  customerId?: string;
  events?: TestEvent[];
  start?: string;
  until?: string;
  steps?: Record<string, StepOverride>;
}

export const previewBody = bodyShape<PreviewBody>({
  type: 'object',
  properties: {
    yaml: { type: 'string', minLength: 1 },
    customer: {
      type: 'object',
      properties: {
        id: { type: 'string', minLength: 1, maxLength: 200 },
        name: { type: 'string', maxLength: 200 },
        email: { type: 'string', maxLength: 320 },
        phone: { type: 'string', maxLength: 40 },
        locale: { type: 'string', maxLength: 35 },
        consent: { type: 'object' },
        timezone: { type: 'string', maxLength: 64 },
        attributes: { type: 'object' },
        tags: { type: 'array', items: { type: 'string' }, maxItems: 500 },
      },
      required: ['id'],
      additionalProperties: false,
    },
    customerId: { type: 'string', minLength: 1, maxLength: 200 },
    events: {
      type: 'array',
      maxItems: 200,
      items: {
        type: 'object',
        properties: {
          type: { type: 'string', minLength: 1, maxLength: 200 },
          data: { type: 'object' },
          at: { type: 'string' },
          after: { type: 'string', maxLength: 40 },
          id: { type: 'string', maxLength: 200 },
        },
        required: ['type'],
        additionalProperties: false,
      },
    },
    start: { type: 'string' },
    until: { type: 'string' },
    steps: { type: 'object' },
  },
  required: ['yaml'],
  additionalProperties: false,
});

/**
 * `POST /workflows/preview`: steps a (possibly unsaved) journey for one real or sample customer on
 * a virtual clock, through the journey-test simulator. Nothing is stored and nothing is sent.
 */
export const previewApi = new Hono<AppEnv>().post('/preview', requires('read'), async (c) => {
  const body = previewBody(await readJson(c));
  const { registry, db, config, now, customers } = c.var.services;
  const validated = validateWorkflow(body.yaml, registry);
  if (!validated.ok) return c.json({ valid: false as const, errors: validated.issues, runs: [] });
  let customer: TestCustomer = body.customer ?? { id: 'sample-customer' };
  if (body.customerId) {
    const found = await getCustomerRow(db, body.customerId);
    if (!found) throw notFound(`customer "${body.customerId}"`);
    // The whole profile (stage, RFM, consent…), so conditions see what the runtime would.
    const { timezone, ...profile } = { ...customers.view(found) };
    customer = { ...profile, ...(timezone ? { timezone } : {}) };
  }
  const start = body.start ?? now().toISOString();
  const events = body.events ?? [];
  const problem = previewTimeProblem({ start, events, ...(body.until ? { until: body.until } : {}) });
  if (problem) throw badRequest(problem);
  let runs: ReturnType<typeof preview>;
  try {
    runs = preview(
      {
        def: validated.def,
        hash: validated.hash,
        customer,
        events,
        start,
        ...(body.until ? { until: body.until } : {}),
        ...(body.steps ? { steps: body.steps } : {}),
      },
      registry,
      config.defaultTimezone,
    );
  } catch (error) {
    throw badRequest(`the preview could not run: ${(error as Error).message}`);
  }
  return c.json({ valid: true as const, errors: [], start, until: body.until ?? null, customer, runs });
});
