import { Hono } from 'hono';
import { AppError, notFound } from '../errors.ts';
import { serverSources } from '../publishing/check-names.ts';
import { push } from '../publishing/push.ts';
import { fileVersion, latestFiles } from '../store/workflow-files.ts';
import { publishedAndLatest } from '../store/workflow-versions.ts';
import type { AppEnv } from './app-env.ts';
import { requires } from './auth.ts';
import { bodyShape, readJson } from './body.ts';
import { can } from './permissions.ts';

export const pushBody = bodyShape<{
  workflows?: { file: string; yaml: string }[];
  files?: { path: string; content: string }[];
  publish?: boolean;
  message?: string;
  dryRun?: boolean;
}>({
  type: 'object',
  properties: {
    workflows: {
      type: 'array',
      items: {
        type: 'object',
        properties: { file: { type: 'string', minLength: 1, maxLength: 500 }, yaml: { type: 'string' } },
        required: ['file', 'yaml'],
        additionalProperties: false,
      },
    },
    files: {
      type: 'array',
      items: {
        type: 'object',
        properties: { path: { type: 'string', minLength: 1, maxLength: 500 }, content: { type: 'string' } },
        required: ['path', 'content'],
        additionalProperties: false,
      },
    },
    publish: { type: 'boolean' },
    message: { type: 'string', maxLength: 500 },
    dryRun: { type: 'boolean' },
  },
  additionalProperties: false,
});

const SOURCES = new Set(['api', 'cli', 'editor']);

/** Git-style deployment: what the server holds (by hash), and uploading a set of files at once. */
export const pushApi = new Hono<AppEnv>()
  .get('/state', requires('read'), async (c) => {
    const { db, registry } = c.var.services;
    return c.json({
      workflows: await publishedAndLatest(db),
      files: (await latestFiles(db, false)).map(({ path, version, hash }) => ({ path, version, hash })),
      folders: registry.fileFolders(),
    });
  })
  .post('/', requires('workflows:write'), async (c) => {
    const body = pushBody(await readJson(c));
    const { principal, services } = c.var;
    if (body.publish && !can(principal.role, 'workflows:publish'))
      throw new AppError(403, 'forbidden', `the ${principal.role} key "${principal.name}" may not publish`);
    const source = c.req.header('x-tend-source') ?? 'api';
    const result = await push(
      services.db,
      services.registry,
      services.config.workflowsDir,
      {
        workflows: body.workflows ?? [],
        files: body.files ?? [],
        publish: body.publish ?? false,
        message: body.message ?? null,
        dryRun: body.dryRun ?? false,
        actor: principal.name,
        source: SOURCES.has(source) ? (source as 'api') : 'api',
      },
      services.now(),
      (pushed) => serverSources(services.db, services.plugins, services.config.workflowsDir, pushed),
    );
    return c.json(result);
  });

/** Template and survey files as stored: the latest of each, or one version's content. */
export const filesApi = new Hono<AppEnv>().get('/', requires('read'), async (c) => {
  const path = c.req.query('path');
  if (path === undefined) return c.json({ files: await latestFiles(c.var.services.db, false) });
  const v = c.req.query('version');
  const version = v === undefined ? undefined : Number(v);
  if (version !== undefined && !Number.isInteger(version)) throw notFound(`version ${v} of ${path}`);
  const file = await fileVersion(c.var.services.db, path, version);
  if (!file) throw notFound(`file ${path}${v ? ` version ${v}` : ''}`);
  return c.json(file);
});
