import type { RouteDocs, RouteParameter } from '@tend/plugin-sdk';
import { followup } from './followups-routes.ts';
import { completion, reassign, snooze } from './routes.ts';

const id = { id: { description: 'the task’s id', schema: { type: 'string', format: 'uuid' } } };
const whose: Record<string, RouteParameter> = {
  assignee: { description: '`me`, or a staff member (their email or id)' },
  customer: { description: 'tasks about this customer' },
  tz: { description: 'the IANA time zone “today” is counted in (default: the installation’s)' },
};
const task = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] };

/** `/api/tasks` and its follow-ups (API reference). */
export const tasksDocs: RouteDocs = {
  'GET /': {
    summary: 'Tasks: open ones by due date, done ones newest first',
    access: 'read',
    ownCustomers: true,
    query: {
      ...whose,
      status: { schema: { type: 'string', enum: ['open', 'done'] } },
      due: { schema: { type: 'string', enum: ['overdue', 'today', 'upcoming'] } },
      after: { description: 'the `next` of the previous page' },
      limit: {
        description: 'how many (default 100)',
        schema: { type: 'integer', minimum: 1, maximum: 1000 },
      },
    },
    responses: {
      200: {
        description: 'A page of tasks, and the engine’s time',
        schema: {
          type: 'object',
          properties: {
            tasks: { type: 'array', items: task },
            next: { type: ['string', 'null'] },
            now: { type: 'string' },
          },
          required: ['tasks', 'next', 'now'],
        },
      },
    },
  },
  'GET /counts': {
    summary: 'How many tasks are overdue, due today and upcoming',
    access: 'read',
    ownCustomers: true,
    query: whose,
    responses: { 200: { description: 'The counts', schema: { type: 'object' } } },
  },
  'GET /:id': {
    summary: 'A task and its changes',
    access: 'read',
    ownCustomers: true,
    params: id,
    responses: { 200: { description: 'The task', schema: task } },
  },
  'POST /:id/complete': {
    summary: 'Complete a task: its outcome goes to the customer’s runs (task.completed)',
    access: 'customers:write',
    ownCustomers: true,
    params: id,
    body: { schema: completion.schema, required: false },
    responses: { 200: { description: 'The task, done', schema: task } },
  },
  'POST /:id/snooze': {
    summary: 'Move a task’s due time, with a reason',
    access: 'customers:write',
    ownCustomers: true,
    params: id,
    body: { schema: snooze.schema },
    responses: { 200: { description: 'The task and the change recorded', schema: task } },
  },
  'POST /:id/reassign': {
    summary: 'Give a task to someone else, with a reason',
    access: 'customers:write',
    ownCustomers: true,
    params: id,
    body: { schema: reassign.schema },
    responses: { 200: { description: 'The task and the change recorded', schema: task } },
  },
  'GET /followups': {
    summary: 'A customer’s follow-ups on record (回访)',
    access: 'read',
    ownCustomers: true,
    query: { customer: { description: 'the customer’s id', required: true } },
    responses: {
      200: {
        description: 'Newest first',
        schema: { type: 'object', properties: { followups: { type: 'array' } }, required: ['followups'] },
      },
    },
  },
  'POST /followups': {
    summary: 'Record a follow-up, and plan the next one as a task',
    access: 'customers:write',
    ownCustomers: true,
    body: { schema: followup.schema },
    responses: { 201: { description: 'Recorded', schema: { type: 'object' } } },
  },
};
