import type { RouteDocs } from '@tend/plugin-sdk';
import { brandBody } from './brand-routes.ts';
import { oneOrMany } from './callbacks.ts';
import { renderBody } from './render-preview.ts';

const key = { key: { description: 'the message’s idempotency key' } };
const decision = {
  type: 'object',
  properties: { key: { type: 'string' }, status: { type: 'string' }, reason: { type: ['string', 'null'] } },
  required: ['key', 'status'],
};

/** `/api/outbox`: held messages and the template preview (API reference). */
export const outboxDocs: RouteDocs = {
  'POST /:key/release': {
    summary: 'Send a message held as uncertain again, once, with the same Message-ID',
    access: 'workflows:publish',
    params: key,
    responses: { 200: { description: 'What the provider answered', schema: decision } },
  },
  'POST /:key/drop': {
    summary: 'Give up a message held as uncertain',
    access: 'workflows:publish',
    params: key,
    responses: { 200: { description: 'Dropped', schema: decision } },
  },
  'POST /render': {
    summary: 'Render a template for a real or sample customer (nothing is sent)',
    access: 'read',
    body: { schema: renderBody.schema },
    responses: {
      200: { description: 'The rendered message: subject, HTML, text', schema: { type: 'object' } },
    },
  },
};

/** `/api/brand`: what templates know of the company and its people. */
export const brandDocs: RouteDocs = {
  'GET /': {
    summary: 'The brand templates see (`brand`)',
    access: 'read',
    responses: { 200: { description: 'The brand', schema: { type: 'object' } } },
  },
  'PUT /': {
    summary: 'Change the brand',
    access: 'workflows:write',
    body: { schema: brandBody.schema },
    responses: { 200: { description: 'The brand as stored', schema: { type: 'object' } } },
  },
};

const token = { token: { description: 'the signed token of the link in the message' } };

/** Unsubscribe links and providers' delivery callbacks: reached without a key. */
export const messagingPageDocs: RouteDocs = {
  'GET /u/:token': {
    summary: 'The unsubscribe page of a link in a message',
    access: 'public',
    params: token,
    responses: { 200: { description: 'The page, asking to confirm', contentType: 'text/html' } },
  },
  'POST /u/:token': {
    summary: 'Unsubscribe (RFC 8058 one-click, or the page’s button)',
    access: 'public',
    params: token,
    responses: { 200: { description: 'The page, confirming', contentType: 'text/html' } },
  },
  'POST /api/messages/callbacks/:provider': {
    summary: 'A provider reports deliveries, bounces, opens, clicks, complaints',
    description:
      'Signed by the provider (`X-Tend-Timestamp`, `X-Tend-Signature`: HMAC of the body with the provider’s secret), or sent with an API key that has `events:ingest`.',
    access: 'public',
    params: { provider: { description: 'the provider’s name in the messaging settings' } },
    body: { schema: oneOrMany.schema },
    responses: {
      202: {
        description: 'Recorded; unknown message ids are named',
        schema: {
          type: 'object',
          properties: {
            recorded: { type: 'integer' },
            unknown: { type: 'array', items: { type: 'string' } },
          },
          required: ['recorded', 'unknown'],
        },
      },
    },
  },
};
