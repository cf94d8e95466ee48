import type { RouteDocs } from '@tend/plugin-sdk';
import { keyBody } from '../keys.ts';
import { credentials, firstAdmin } from '../session.ts';
import { userBody } from '../users.ts';
import {
  anyObject,
  boolean,
  dateTime,
  integer,
  limit,
  listOf,
  nullableString,
  object,
  ok,
  string,
  uuid,
} from './shapes.ts';

const signedIn = object({
  user: object({ id: string, email: string, name: nullableString, role: string }),
  csrfToken: string,
});

/** People, keys, sessions, and reading what happened: runs, messages, the audit log. */
export const accountRoutes: RouteDocs = {
  'GET /api/setup': {
    summary: 'Whether the first admin still has to be created',
    access: 'public',
    responses: ok('Whether there is no one yet', object({ needsSetup: boolean })),
  },
  'POST /api/setup': {
    summary: 'Create the first admin (only while there is no user) and sign them in',
    access: 'public',
    body: { schema: firstAdmin.schema },
    responses: { 201: { description: 'Created and signed in (sets the session cookie)', schema: signedIn } },
  },
  'POST /api/session': {
    summary: 'Sign in',
    access: 'public',
    body: { schema: credentials.schema },
    responses: ok(
      'Signed in (sets the session cookie); send `csrfToken` as X-CSRF-Token with writes',
      signedIn,
    ),
  },
  'GET /api/session': {
    summary: 'Who is calling: the signed-in person or the key',
    access: 'signed-in',
    responses: ok(
      'The caller',
      object({
        user: { type: ['object', 'null'] },
        key: nullableString,
        role: string,
        csrfToken: nullableString,
      }),
    ),
  },
  'DELETE /api/session': {
    summary: 'Sign out',
    access: 'signed-in',
    responses: ok('Signed out', object({ signedOut: boolean })),
  },
  'GET /api/users': {
    summary: 'People who sign in',
    access: 'users:manage',
    responses: ok('The people', object({ users: listOf(anyObject) })),
  },
  'POST /api/users': {
    summary: 'Add a person',
    access: 'users:manage',
    body: { schema: userBody.schema },
    responses: { 201: { description: 'Added', schema: object({ id: string, email: string }) } },
  },
  'DELETE /api/users/:id': {
    summary: 'Disable a person',
    access: 'users:manage',
    params: { id: uuid },
    responses: ok('Disabled', object({ id: string, disabled: boolean })),
  },
  'GET /api/keys': {
    summary: 'API keys (never the keys themselves)',
    access: 'keys:manage',
    responses: ok(
      'The keys',
      object({
        keys: listOf(object({ id: string, name: string, role: string, prefix: string, createdAt: dateTime })),
      }),
    ),
  },
  'POST /api/keys': {
    summary: 'Create an API key; it is shown this once',
    access: 'keys:manage',
    body: { schema: keyBody.schema },
    responses: {
      201: {
        description: 'Created',
        schema: object({ id: string, name: string, role: string, key: string }),
      },
    },
  },
  'DELETE /api/keys/:id': {
    summary: 'Revoke an API key',
    access: 'keys:manage',
    params: { id: uuid },
    responses: ok('Revoked', object({ id: string, revoked: boolean })),
  },
  'GET /api/plugins': {
    summary: 'The installed plugins: steps with their schemas, events, settings',
    access: 'read',
    responses: ok(
      'The plugins',
      object({
        plugins: listOf(
          object({
            name: string,
            version: string,
            steps: listOf(object({ id: string, configSchema: anyObject })),
            events: listOf(object({ type: string })),
          }),
        ),
      }),
    ),
  },
  'GET /api/runs': {
    summary: 'Runs, newest first',
    access: 'read',
    query: {
      workflow: { description: 'of this journey' },
      customer: { description: 'of this customer' },
      status: { schema: { type: 'string', enum: ['active', 'completed', 'failed', 'cancelled'] } },
      state: { description: 'at this state' },
      before: { description: 'started before this time', schema: { type: 'string', format: 'date-time' } },
      limit: limit(100, 1000),
    },
    responses: ok('The runs', object({ runs: listOf(anyObject) })),
  },
  'GET /api/runs/:id': {
    summary: 'A run: its variables, step results and history',
    access: 'read',
    params: { id: uuid },
    responses: ok('The run', object({ id: string, status: string, history: listOf(anyObject) })),
  },
  'GET /api/messages': {
    summary: 'The outbox: messages sent, held or refused',
    access: 'read',
    query: {
      customer: { description: 'to this customer' },
      workflow: { description: 'from this journey' },
      status: { description: 'sent, skipped, deferred, failed, uncertain…' },
      channel: { description: 'email, sms…' },
      provider: { description: 'the provider that sent it' },
      reason: { description: 'why it was not sent (a reason code)' },
      from: { description: 'created at or after', schema: { type: 'string', format: 'date-time' } },
      to: { description: 'created before', schema: { type: 'string', format: 'date-time' } },
      before: { description: 'created before (paging)', schema: { type: 'string', format: 'date-time' } },
      after: { description: 'the `next` of the previous page' },
      limit: limit(50, 500),
    },
    responses: ok('A page of messages', object({ messages: listOf(anyObject) })),
  },
  'GET /api/messages/summary': {
    summary: 'How many messages of the same filters, per status',
    access: 'read',
    responses: ok('The counts', object({ total: integer, counts: listOf(anyObject) })),
  },
  'GET /api/messages/:key': {
    summary: 'One message, decrypted',
    access: 'read',
    params: { key: { description: 'its idempotency key' } },
    responses: ok('The message'),
  },
  'GET /api/audit': {
    summary: 'The audit log: who changed what (never personal data)',
    access: 'read',
    query: {
      entity: { description: 'customer, segment, workflow…' },
      entityId: { description: 'one entity' },
      actor: { description: 'by this key or person' },
      before: {
        description: 'the `next` of the previous page',
        schema: { type: 'string', pattern: '^\\d+$' },
      },
      limit: limit(100, 1000),
    },
    responses: ok(
      'Entries, newest first',
      object({ entries: listOf(anyObject), next: { type: ['string', 'null'] } }),
    ),
  },
  'GET /api/overview': {
    summary: 'The dashboard: customers, journeys, messages, revenue',
    access: 'read',
    responses: ok('The figures'),
  },
  'GET /api/predictions': {
    summary: 'The purchase model: what its last refresh fitted and scored',
    access: 'read',
    responses: ok('The last refresh (null before the first)', object({ last: { type: ['object', 'null'] } })),
  },
  'POST /api/predictions/refresh': {
    summary: 'Fit the purchase model and score every buyer now (409 while a refresh runs)',
    access: 'workflows:publish',
    responses: ok('What the refresh fitted and scored'),
  },
};
