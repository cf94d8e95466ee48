import type { RouteDocs, RouteParameter } from '@tend/plugin-sdk';
import { bulkBody } from '../customer-bulk.ts';
import { batchBody, customerBody } from '../customers.ts';
import { manyEvents, oneEvent } from '../events.ts';
import { createBody, previewBody, updateBody } from '../segments.ts';
import {
  anyObject,
  boolean,
  customerId,
  customerView,
  dateTime,
  integer,
  limit,
  listOf,
  nullableString,
  object,
  ok,
  partial,
  rejected,
  string,
  uuid,
} from './shapes.ts';

const text = (description: string): RouteParameter => ({ description });

/** The list's filters (api/customer-list.ts#listSelection), shared by bulk actions' `filter`. */
const listFilters: Record<string, RouteParameter> = {
  tag: text('customers with this tag'),
  stage: text('in this lifecycle stage'),
  owner: text('looked after by this staff member'),
  segment: text('in this RFM segment'),
  abc: text('of this ABC class'),
  savedSegment: text('members of this saved segment (its id)'),
  r: { description: 'RFM recency score', schema: { type: 'string', enum: ['1', '2', '3', '4', '5'] } },
  f: { description: 'RFM frequency score', schema: { type: 'string', enum: ['1', '2', '3', '4', '5'] } },
  consent: text('consent of a channel, e.g. `email:granted`'),
  journey: text('in a journey (its id)'),
  state: text('at this state of `journey`'),
  name: text('part of a name (two characters or more)'),
};

const segment = object({
  id: string,
  name: string,
  description: nullableString,
  definition: string,
  memberCount: integer,
  evaluatedAt: { type: ['string', 'null'] },
  createdBy: nullableString,
  updatedAt: dateTime,
});
const segmentId: RouteParameter = { schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' } };
const bulkAction = object({
  id: string,
  action: string,
  params: anyObject,
  status: string,
  total: { type: ['integer', 'null'] },
  done: integer,
  error: nullableString,
  createdBy: string,
  createdAt: dateTime,
  finishedAt: { type: ['string', 'null'] },
});

/** Customers, their events, lifecycle stages and segments. */
export const customerRoutes: RouteDocs = {
  'GET /api/customers': {
    summary: 'Find customers: by email or phone, or a filtered, sorted page',
    access: 'read',
    ownCustomers: true,
    query: {
      email: text('the customer with this email'),
      phone: text('the customer with this phone'),
      ...listFilters,
      sort: { schema: { type: 'string', enum: ['id', 'created', 'last-order', 'revenue'] } },
      after: text('the `next` of the previous page'),
      limit: limit(100, 1000),
    },
    responses: ok('A page of customers', object({ customers: listOf(customerView), next: nullableString })),
  },
  'POST /api/customers/batch': {
    summary: 'Create or update many customers at once',
    access: 'customers:write',
    query: { partial },
    body: { schema: batchBody.schema },
    responses: ok(
      'How many were created and updated',
      object({ created: integer, updated: integer, rejected }, ['rejected']),
    ),
  },
  'PUT /api/customers/:id': {
    summary: 'Create or update a customer',
    access: 'customers:write',
    params: { id: customerId },
    body: { schema: customerBody.schema },
    responses: {
      200: { description: 'Updated', schema: customerView },
      201: { description: 'Created', schema: customerView },
    },
  },
  'GET /api/customers/:id': {
    summary: 'A customer’s profile: segments, active runs, timeline, usual hours',
    access: 'read',
    ownCustomers: true,
    params: { id: customerId },
    responses: ok('The profile', {
      ...customerView,
      properties: {
        ...customerView.properties,
        segments: listOf(string),
        activeRuns: listOf(anyObject),
        timeline: listOf(anyObject),
        usualHours: {
          ...object({ zone: string, counts: listOf(integer) }),
          description:
            'Opens, clicks and orders of the last year by local hour (counts[0] is 00:00–00:59 in `zone`): what `wait: { bestTime }` learns from',
        },
      },
    }),
  },
  'GET /api/customers/:id/export': {
    summary: 'Everything Tend and its plugins keep about a customer (data access request)',
    access: 'read',
    params: { id: customerId },
    responses: ok(
      'The records, decrypted (an attachment)',
      object({ exportedAt: dateTime, customer: customerView }),
    ),
  },
  'DELETE /api/customers/:id': {
    summary: 'Erase a customer (right to be forgotten)',
    access: 'customers:erase',
    params: { id: customerId },
    responses: ok(
      'Erased; what remains is kept under a pseudonym',
      object({ erased: boolean, pseudonym: string }),
    ),
  },
  'GET /api/customers/:id/explain': {
    summary: 'Why a customer is (or is not) where they are in each journey',
    access: 'read',
    params: { id: customerId },
    query: { workflow: text('only this journey') },
    responses: ok('Reasons, each citing the table and key it read'),
  },
  'GET /api/customers/bulk': {
    summary: 'The latest bulk actions',
    access: 'customers:write',
    responses: ok('The actions', object({ actions: listOf(bulkAction) })),
  },
  'POST /api/customers/bulk': {
    summary: 'Tag, untag, start a journey for, export or erase the customers of a filter',
    description: 'Export and erase need `customers:erase`.',
    access: 'customers:write',
    body: { schema: bulkBody.schema },
    responses: {
      202: { description: 'Accepted: the workers carry it out a page at a time', schema: bulkAction },
    },
  },
  'GET /api/customers/bulk/:id': {
    summary: 'How far a bulk action is',
    access: 'customers:write',
    params: { id: uuid },
    responses: ok('The action', bulkAction),
  },
  'GET /api/customers/bulk/:id/export.csv': {
    summary: 'A finished export as one CSV file',
    access: 'customers:erase',
    params: { id: uuid },
    responses: { 200: { description: 'The customers, UTF-8 with a BOM', contentType: 'text/csv' } },
  },
  'POST /api/events': {
    summary: 'Send one event',
    access: 'events:ingest',
    body: { schema: oneEvent.schema },
    responses: {
      202: {
        description: 'Stored; journeys will see it shortly',
        schema: object({ id: string, duplicate: boolean }),
      },
    },
  },
  'POST /api/events/batch': {
    summary: 'Send many events at once',
    access: 'events:ingest',
    query: { partial },
    body: { schema: manyEvents.schema },
    responses: {
      202: {
        description: 'Stored',
        schema: object({ accepted: integer, duplicates: integer, rejected }, ['rejected']),
      },
    },
  },
  'GET /api/lifecycle': {
    summary: 'The lifecycle stages and how many customers are in each',
    access: 'read',
    ownCustomers: true,
    responses: ok('The stages', object({ customersByStage: anyObject })),
  },
  'POST /api/lifecycle/recompute': {
    summary: 'Recompute every customer’s stage and RFM now, counting every customer’s orders again',
    access: 'workflows:publish',
    responses: ok('What changed'),
  },
  'POST /api/triggers/sweep': {
    summary: 'Fire due time triggers now',
    access: 'workflows:publish',
    responses: ok('How many fired', object({ fired: listOf(anyObject) })),
  },
  'GET /api/segments': {
    summary: 'Saved segments',
    access: 'read',
    responses: ok('The segments', object({ segments: listOf(segment) })),
  },
  'POST /api/segments': {
    summary: 'Save a new segment (a CEL condition over the customer)',
    access: 'workflows:write',
    body: { schema: createBody.schema },
    responses: {
      200: {
        description: 'Replaced',
        schema: { ...segment, properties: { ...segment.properties, evaluating: boolean } },
      },
      201: {
        description: 'Created; members are being counted',
        schema: { ...segment, properties: { ...segment.properties, evaluating: boolean } },
      },
    },
  },
  'POST /api/segments/preview': {
    summary: 'Count who a condition matches, with a sample',
    access: 'read',
    body: { schema: previewBody.schema },
    responses: ok(
      'The count',
      object({ matched: integer, scanned: integer, sample: listOf(string), customers: listOf(anyObject) }),
    ),
  },
  'GET /api/segments/:id': {
    summary: 'A segment and a page of its members',
    access: 'read',
    params: { id: segmentId },
    query: { after: text('the last member id of the previous page') },
    responses: ok('The segment', {
      ...segment,
      properties: { ...segment.properties, members: { type: 'array' } },
    }),
  },
  'PUT /api/segments/:id': {
    summary: 'Create or replace a segment',
    access: 'workflows:write',
    params: { id: segmentId },
    body: { schema: updateBody.schema },
    responses: {
      200: { description: 'Replaced', schema: segment },
      201: { description: 'Created', schema: segment },
    },
  },
  'DELETE /api/segments/:id': {
    summary: 'Delete a segment',
    access: 'workflows:write',
    params: { id: segmentId },
    responses: ok('Deleted', object({ id: string, deleted: boolean })),
  },
};
