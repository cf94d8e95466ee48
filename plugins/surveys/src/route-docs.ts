import type { RouteDocs, RouteParameter } from '@tend/plugin-sdk';

const id = { id: { description: 'the survey’s id (its file’s `id:`)' } };
const results: Record<string, RouteParameter> = {
  workflow: { description: 'answers to sends of this journey' },
  segment: { description: 'answers of this saved segment’s members' },
  from: { description: 'answered at or after (a date or date-time)' },
  to: { description: 'answered before' },
};
const html = (description: string) => ({ description, contentType: 'text/html' });

/** `/api/surveys` (API reference). */
export const surveysDocs: RouteDocs = {
  'GET /': {
    summary: 'The surveys in the workflows folder',
    access: 'read',
    responses: { 200: { description: 'The surveys', schema: { type: 'object' } } },
  },
  'GET /:id/results': {
    summary: 'A survey’s results: response rate, NPS or CSAT, score distribution, comments',
    access: 'read',
    params: id,
    query: results,
    responses: { 200: { description: 'The results', schema: { type: 'object' } } },
  },
  'GET /:id/trend': {
    summary: 'A survey’s score by week or month',
    access: 'read',
    params: id,
    query: {
      ...results,
      by: { description: 'default week', schema: { type: 'string', enum: ['week', 'month'] } },
      tz: { description: 'the time zone periods are counted in (default UTC)' },
    },
    responses: { 200: { description: 'The trend', schema: { type: 'object' } } },
  },
  'GET /:id/answers.csv': {
    summary: 'A survey’s answers as a spreadsheet',
    access: 'read',
    params: id,
    query: results,
    responses: { 200: { description: 'One row per answer, UTF-8 with a BOM', contentType: 'text/csv' } },
  },
};

/** The hosted survey page behind a signed link: reached without a key, answers in HTML. */
export const surveyPageDocs: RouteDocs = {
  'GET /s/:token': {
    summary: 'The survey page of a link in a message',
    access: 'public',
    params: { token: { description: 'the signed token of the link' } },
    responses: { 200: html('The survey'), 404: html('No such link (or expired)') },
  },
  'POST /s/:token': {
    summary: 'Answer the survey (the page’s form)',
    access: 'public',
    params: { token: { description: 'the signed token of the link' } },
    body: { schema: { type: 'object' }, contentType: 'application/x-www-form-urlencoded' },
    responses: {
      200: html('Thanks'),
      400: html('The page again, naming what is missing'),
      404: html('No such link (or expired)'),
      409: html('Answered already'),
    },
  },
};
