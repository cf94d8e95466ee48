import type { RouteDoc, RouteDocs } from '@tend/plugin-sdk';
import { MOVE_RULES, newComplaint, withNote } from './routes.ts';

const id = { id: { description: 'the complaint’s id', schema: { type: 'string', format: 'uuid' } } };
const complaint = {
  type: 'object',
  properties: { id: { type: 'string' }, status: { type: 'string' } },
  required: ['id', 'status'],
};
const html = (description: string) => ({ description, contentType: 'text/html' });

/** Each move (acknowledge, resolve, close, reopen), from the rules the route follows. */
const moves: RouteDocs = Object.fromEntries(
  Object.entries(MOVE_RULES).map(([move, rule]): [string, RouteDoc] => [
    `POST /:id/${move}`,
    {
      summary: `${move[0]?.toUpperCase()}${move.slice(1)} a complaint (sends ${rule.event})`,
      access: 'customers:write',
      ownCustomers: true,
      params: id,
      body: { schema: withNote(rule.note === 'required').schema, required: rule.note === 'required' },
      responses: { 200: { description: 'The complaint and the change recorded', schema: complaint } },
    },
  ]),
);

/** `/api/complaints` (API reference). */
export const complaintsDocs: RouteDocs = {
  'GET /': {
    summary: 'Complaints, a page at a time',
    access: 'read',
    ownCustomers: true,
    query: {
      status: { description: 'one or several of open, acknowledged, resolved, closed (comma-separated)' },
      owner: { description: '`me`, or a staff member' },
      customer: { description: 'of this customer' },
      category: { description: 'of this category' },
      breached: {
        description: '`true`: past a deadline',
        schema: { type: 'string', enum: ['true', 'false'] },
      },
      after: { description: 'the `next` of the previous page' },
      limit: { description: 'how many (default 50)', schema: { type: 'integer', minimum: 1, maximum: 500 } },
    },
    responses: { 200: { description: 'A page of complaints', schema: { type: 'object' } } },
  },
  'POST /': {
    summary: 'File a complaint (idempotent by the Idempotency-Key header)',
    access: 'customers:write',
    ownCustomers: true,
    body: { schema: newComplaint.schema },
    responses: {
      200: { description: 'Filed before with the same key', schema: complaint },
      201: { description: 'Filed and routed to an owner', schema: complaint },
    },
  },
  'GET /policy': {
    summary: 'Categories, severities and deadlines of the complaints policy',
    access: 'read',
    ownCustomers: true,
    responses: { 200: { description: 'The policy', schema: { type: 'object' } } },
  },
  'GET /figures': {
    summary: 'Figures of the analysis: counts, response and resolution times, breaches',
    access: 'read',
    query: {
      since: { description: 'a duration back from now, such as 30d (default) or 12w' },
      by: { schema: { type: 'string', enum: ['category', 'owner', 'store', 'team'] } },
    },
    responses: { 200: { description: 'The figures', schema: { type: 'object' } } },
  },
  'GET /form-link': {
    summary: 'A signed link to the hosted complaint form for a customer',
    access: 'read',
    ownCustomers: true,
    query: { customer: { description: 'the customer’s id', required: true } },
    responses: {
      200: {
        description: 'The link',
        schema: {
          type: 'object',
          properties: { url: { type: 'string' }, expiresAt: { type: 'string' } },
          required: ['url', 'expiresAt'],
        },
      },
    },
  },
  'GET /:id': {
    summary: 'A complaint and its history',
    access: 'read',
    ownCustomers: true,
    params: id,
    responses: { 200: { description: 'The complaint', schema: complaint } },
  },
  ...moves,
};

const token = { token: { description: 'the signed token of the link' } };

/** The hosted complaint form behind a signed link: reached without a key, answers in HTML. */
export const complaintFormDocs: RouteDocs = {
  'GET /complain/:token': {
    summary: 'The complaint form',
    access: 'public',
    params: token,
    query: { lang: { description: 'the page’s language (en, zh-CN)' } },
    responses: { 200: html('The form'), 404: html('No such link (or expired)') },
  },
  'POST /complain/:token': {
    summary: 'File a complaint from the form',
    access: 'public',
    params: token,
    query: { lang: { description: 'the page’s language (en, zh-CN)' } },
    body: { schema: { type: 'object' }, contentType: 'application/x-www-form-urlencoded' },
    responses: {
      200: html('Filed'),
      400: html('The form again, naming what is missing'),
      404: html('No such link (or expired)'),
    },
  },
};
