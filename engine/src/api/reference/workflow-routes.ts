import type { RouteDocs } from '@tend/plugin-sdk';
import { migrateBody, resumeBody } from '../operations.ts';
import { previewBody } from '../preview.ts';
import { pushBody } from '../push.ts';
import { layoutBody } from '../workflow-admin.ts';
import { publishBody } from '../workflows.ts';
import {
  anyObject,
  boolean,
  dateTime,
  integer,
  listOf,
  nullableString,
  object,
  ok,
  string,
  workflowId,
} from './shapes.ts';

const yaml = {
  schema: { type: 'string' },
  contentType: 'application/yaml',
  description: 'a workflow file (YAML v1)',
};
const summary = object({
  id: string,
  name: string,
  stage: nullableString,
  publishedVersion: { type: ['integer', 'null'] },
  latestVersion: integer,
  activeRuns: integer,
  pausedAt: { type: ['string', 'null'] },
  createdAt: dateTime,
  updatedAt: dateTime,
});
const issues = listOf(object({ path: string, line: integer, column: integer, message: string }));
const saved = object({ id: string, version: integer, hash: string });
const params = { id: workflowId };
const number = { type: 'number' };
const experimentArm = object({
  arm: integer,
  label: nullableString,
  next: string,
  weight: number,
  entered: integer,
  converted: integer,
  open: integer,
  rate: { type: ['number', 'null'] },
  low: number,
  high: number,
  pBest: number,
  holdout: integer,
  followedWinner: integer,
});
const verdict = object({
  kind: { type: 'string', enum: ['winner', 'no-winner', 'undecided'] },
  reason: string,
});
const experimentsAnswer = object({
  workflowId: string,
  version: { type: ['integer', 'null'] },
  method: anyObject,
  experiments: listOf(
    object({
      state: string,
      key: string,
      goal: anyObject,
      windowMs: integer,
      pick: { type: 'string', enum: ['auto', 'off'] },
      holdout: number,
      arms: listOf(experimentArm),
      now: verdict,
      decision: {
        type: ['object', 'null'],
        properties: {
          verdict: { type: 'string', enum: ['winner', 'no-winner'] },
          arm: { type: ['integer', 'null'] },
          reason: string,
          decidedAt: dateTime,
          numbers: listOf(anyObject),
        },
      },
    }),
  ),
});
const version = { schema: { type: 'integer', minimum: 1 }, description: 'a version number' };

/** Journeys: versions, publishing, the editor's extras, operating them, push. */
export const workflowRoutes: RouteDocs = {
  'GET /api/workflows': {
    summary: 'List journeys',
    access: 'read',
    query: {
      archived: {
        description: '`true`: the archived ones',
        schema: { type: 'string', enum: ['true', 'false'] },
      },
    },
    responses: ok('The journeys', object({ workflows: listOf(summary) })),
  },
  'POST /api/workflows': {
    summary: 'Store a new version from YAML',
    description:
      'Validates the file against the installed plugins and stores it as the next version (unchanged content keeps the version). Headers `X-Tend-Source` (api, cli, editor) and `X-Tend-Message` are recorded with it.',
    access: 'workflows:write',
    body: yaml,
    responses: {
      200: { description: 'Unchanged: the existing version', schema: saved },
      201: { description: 'A new version', schema: saved },
    },
  },
  'POST /api/workflows/validate': {
    summary: 'Check a workflow file without storing it',
    access: 'read',
    body: yaml,
    responses: ok(
      'Whether it is valid, and each problem located',
      object({ valid: boolean, errors: issues }),
    ),
  },
  'POST /api/workflows/preview': {
    summary: 'Step a customer through a journey on a virtual clock',
    description: 'Nothing is stored and nothing is sent.',
    access: 'read',
    body: { schema: previewBody.schema },
    responses: ok('The simulated path: states entered, steps, messages'),
  },
  'GET /api/workflows/:id': {
    summary: 'A journey and its versions',
    access: 'read',
    params,
    responses: ok('The journey', object({ id: string, versions: listOf(anyObject) })),
  },
  'GET /api/workflows/:id/versions': {
    summary: 'A journey’s versions',
    access: 'read',
    params,
    responses: ok('Its versions, newest first', object({ versions: listOf(anyObject) })),
  },
  'GET /api/workflows/:id/versions/:version': {
    summary: 'One version (JSON, or its YAML)',
    access: 'read',
    params: { ...params, version },
    query: {
      format: { description: '`yaml`: the file itself', schema: { type: 'string', enum: ['yaml', 'json'] } },
    },
    responses: {
      200: {
        description:
          'The version; with `format=yaml` or `Accept: application/yaml` its file (application/yaml)',
      },
    },
  },
  'POST /api/workflows/:id/publish': {
    summary: 'Publish a version',
    access: 'workflows:publish',
    params,
    body: { schema: publishBody.schema },
    responses: ok('Published', object({ id: string, publishedVersion: integer })),
  },
  'GET /api/workflows/:id/live': {
    summary: 'Live counts: runs per state, edges taken, outcomes',
    access: 'read',
    params,
    query: {
      version: {
        description: 'default: the published (else latest) version',
        schema: { type: 'integer', minimum: 1 },
      },
    },
    responses: ok('The counts'),
  },
  'GET /api/workflows/:id/experiments': {
    summary:
      'Experiments on splits: conversion per arm with 95 % intervals, probability to be best, the decision',
    access: 'read',
    params,
    responses: ok('The published version’s experiments', experimentsAnswer),
  },
  'POST /api/workflows/:id/experiments/decide': {
    summary: 'Settle conversions and decide the journey’s experiments now (409 while a pass runs)',
    access: 'workflows:publish',
    params,
    responses: ok('The experiments after the pass', experimentsAnswer),
  },
  'GET /api/workflows/:id/layout': {
    summary: 'Where people placed the journey’s nodes',
    access: 'read',
    params,
    responses: ok('Positions by node', object({ id: string, positions: anyObject })),
  },
  'PUT /api/workflows/:id/layout': {
    summary: 'Store where the nodes are placed',
    access: 'workflows:write',
    params,
    body: { schema: layoutBody.schema },
    responses: ok('Stored', object({ id: string, positions: anyObject })),
  },
  'POST /api/workflows/:id/archive': {
    summary: 'Archive a journey (no new runs; running customers finish)',
    access: 'workflows:write',
    params,
    responses: ok('Archived', object({ id: string, archived: boolean })),
  },
  'DELETE /api/workflows/:id/archive': {
    summary: 'Restore an archived journey',
    access: 'workflows:write',
    params,
    responses: ok('Restored', object({ id: string, archived: boolean })),
  },
  'POST /api/workflows/:id/pause': {
    summary: 'Pause a journey: no one enters, customers are held before their next step',
    access: 'workflows:publish',
    params,
    responses: ok('Paused', object({ paused: boolean })),
  },
  'POST /api/workflows/:id/resume': {
    summary: 'Resume a paused journey, admitting or discarding who would have entered',
    access: 'workflows:publish',
    params,
    body: { schema: resumeBody.schema },
    responses: ok('Resumed', object({ paused: boolean })),
  },
  'POST /api/workflows/:id/migrate-runs': {
    summary: 'Move running customers from one version to another',
    access: 'workflows:publish',
    params,
    body: { schema: migrateBody.schema },
    responses: ok('The plan (with `dryRun`) or what was moved'),
  },
  'GET /api/stats/workflows': {
    summary: 'Runs started, active and reaching a goal, per journey',
    access: 'read',
    responses: ok('The figures'),
  },
  'GET /api/push/state': {
    summary: 'What the server holds, by content hash (for `tend push`)',
    access: 'read',
    responses: ok(
      'Workflows, files and the folders plugins read',
      object({ workflows: listOf(anyObject), files: listOf(anyObject), folders: listOf(string) }),
    ),
  },
  'POST /api/push': {
    summary: 'Upload workflows and files at once, optionally publishing',
    description: 'Publishing also needs `workflows:publish`.',
    access: 'workflows:write',
    body: { schema: pushBody.schema },
    responses: ok('What was stored, published or refused'),
  },
  'GET /api/files': {
    summary: 'Template and survey files as stored: the latest of each, or one file',
    access: 'read',
    query: {
      path: { description: 'one file’s path in the workflows folder' },
      version: {
        description: 'a version of that file (default: the latest)',
        schema: { type: 'integer', minimum: 1 },
      },
    },
    responses: ok('The files, or the one asked for'),
  },
  'GET /api/library': {
    summary: 'Templates and surveys in the workflows folder, for the editor’s pickers',
    access: 'read',
    responses: ok('The library'),
  },
};
