import { Hono } from 'hono';
import { badRequest, itemMessage } from '../errors.ts';
import type { LifecycleConfig } from '../lifecycle/config.ts';
import { orderAmountProblem } from '../lifecycle/order-amount.ts';
import { type IncomingEvent, ingestEvents } from '../store/ingest.ts';
import type { AppEnv } from './app-env.ts';
import { requires } from './auth.ts';
import { bodyShape, readJson } from './body.ts';

const eventSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 200 },
    customerId: { type: 'string', minLength: 1, maxLength: 200 },
    type: { type: 'string', pattern: '^[a-z][a-z0-9_-]*(\\.[a-z0-9_-]+)*$', maxLength: 200 },
    data: { type: 'object' },
    occurredAt: { type: 'string', format: 'date-time' },
  },
  required: ['customerId', 'type'],
  additionalProperties: false,
};

type EventBody = {
  id?: string;
  customerId: string;
  type: string;
  data?: Record<string, unknown>;
  occurredAt?: string;
};

export const oneEvent = bodyShape<EventBody>(eventSchema);
const MAX_BATCH = 10_000;
export const manyEvents = bodyShape<EventBody[]>({ type: 'array', items: eventSchema, maxItems: MAX_BATCH });

/** Events in: one, or many at once (the fast path for bulk ingest). */
export const eventsApi = new Hono<AppEnv>()
  .post('/', requires('events:ingest'), async (c) => {
    const { lifecycle, ingest } = c.var.services;
    const event = toIncoming(oneEvent(await readJson(c)), lifecycle.orders);
    const r = await ingest([event]);
    c.var.services.runtime.metrics.eventsIngested.inc({ source: 'api' }, r.accepted);
    return c.json({ id: r.ids[0], duplicate: r.duplicates > 0 }, 202);
  })
  .post('/batch', requires('events:ingest'), async (c) => {
    const body = await readJson(c);
    if (!Array.isArray(body)) throw badRequest('send a JSON array of events');
    const { db, boss, now, lifecycle } = c.var.services;
    // All or nothing: one bad item refuses the batch, so a retry with it fixed stores each once.
    // `?partial=true` (imports): the good items are stored and each bad one named with its reason.
    const partial = c.req.query('partial') === 'true';
    const rejected: { index: number; message: string }[] = [];
    let events: IncomingEvent[];
    if (!partial) events = manyEvents(body).map((e, i) => toIncoming(e, lifecycle.orders, `[${i}].`));
    else {
      if (body.length > MAX_BATCH) throw badRequest(`a batch holds at most ${MAX_BATCH} events`);
      events = [];
      for (const [index, raw] of body.entries()) {
        try {
          events.push(toIncoming(oneEvent(raw), lifecycle.orders));
        } catch (error) {
          const message = itemMessage(error);
          if (message === null) throw error;
          rejected.push({ index, message });
        }
      }
    }
    const r = await ingestEvents(db, boss, events, now());
    c.var.services.runtime.metrics.eventsIngested.inc({ source: 'batch' }, r.accepted);
    return c.json({ accepted: r.accepted, duplicates: r.duplicates, ...(partial ? { rejected } : {}) }, 202);
  });

function toIncoming(e: EventBody, orders: LifecycleConfig['orders'], at = ''): IncomingEvent {
  if (e.type.startsWith('tend.'))
    throw badRequest(`${at}type: event types starting with "tend." are Tend's own: ${e.type}`);
  const amount = orderAmountProblem(orders, e);
  if (amount) throw badRequest(`${at}${amount}`);
  return {
    ...(e.id ? { id: e.id } : {}),
    customerId: e.customerId,
    type: e.type,
    data: e.data ?? {},
    ...(e.occurredAt ? { occurredAt: new Date(e.occurredAt) } : {}),
  };
}
