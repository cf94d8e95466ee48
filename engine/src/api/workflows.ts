import { Hono } from 'hono';
import { validateWorkflow } from '../definitions/validate.ts';
import { notFound } from '../errors.ts';
import { checkNames, serverSources } from '../publishing/check-names.ts';
import { publishVersion, saveVersion } from '../publishing/save-version.ts';
import { getVersion, listVersions } from '../store/workflow-versions.ts';
import { getWorkflow, listWorkflows } from '../store/workflows.ts';
import type { AppEnv } from './app-env.ts';
import { requires } from './auth.ts';
import { bodyShape, readJson } from './body.ts';

export const publishBody = bodyShape<{ version: number }>({
  type: 'object',
  properties: { version: { type: 'integer', minimum: 1 } },
  required: ['version'],
  additionalProperties: false,
});

const SOURCES = new Set(['api', 'cli', 'editor']);

/** Workflows: versions from YAML, validation, publishing, reading back. */
export const workflowsApi = new Hono<AppEnv>()
  .get('/', requires('read'), async (c) => {
    const archived = c.req.query('archived') === 'true';
    return c.json({ workflows: await listWorkflows(c.var.services.db, { archived }) });
  })
  .post('/validate', requires('read'), async (c) => {
    const { registry, db, plugins, config } = c.var.services;
    const result = validateWorkflow(await c.req.text(), registry);
    if (!result.ok) return c.json({ valid: false, errors: result.issues });
    const names = await checkNames(
      result.source,
      result.def,
      registry,
      serverSources(db, plugins, config.workflowsDir),
    );
    return c.json({ valid: names.length === 0, errors: names });
  })
  .post('/', requires('workflows:write'), async (c) => {
    const source = c.req.header('x-tend-source') ?? 'api';
    const { db, registry, plugins, config } = c.var.services;
    const saved = await saveVersion(
      db,
      registry,
      await c.req.text(),
      {
        createdBy: c.var.principal.name,
        source: SOURCES.has(source) ? (source as 'api') : 'api',
        message: c.req.header('x-tend-message')?.slice(0, 500) ?? null,
      },
      c.var.services.now(),
      (v) => checkNames(v.source, v.def, registry, serverSources(db, plugins, config.workflowsDir)),
    );
    const body = { id: saved.id, version: saved.version, hash: saved.hash };
    return saved.created ? c.json(body, 201) : c.json(body, 200);
  })
  .get('/:id', requires('read'), async (c) => {
    const { db } = c.var.services;
    const workflow = await getWorkflow(db, c.req.param('id'));
    if (!workflow) throw notFound(`workflow "${c.req.param('id')}"`);
    return c.json({ ...workflow, versions: await listVersions(db, workflow.id) });
  })
  .get('/:id/versions', requires('read'), async (c) => {
    const { db } = c.var.services;
    const workflow = await getWorkflow(db, c.req.param('id'));
    if (!workflow) throw notFound(`workflow "${c.req.param('id')}"`);
    return c.json({ versions: await listVersions(db, workflow.id) });
  })
  .get('/:id/versions/:version', requires('read'), async (c) => {
    const version = Number(c.req.param('version'));
    const row = Number.isInteger(version)
      ? await getVersion(c.var.services.db, c.req.param('id'), version)
      : null;
    if (!row) throw notFound(`version ${c.req.param('version')} of workflow "${c.req.param('id')}"`);
    const wantsYaml = c.req.query('format') === 'yaml' || /yaml/.test(c.req.header('accept') ?? '');
    if (wantsYaml) return c.body(row.yaml, 200, { 'content-type': 'application/yaml; charset=utf-8' });
    return c.json(row);
  })
  .post('/:id/publish', requires('workflows:publish'), async (c) => {
    const { version } = publishBody(await readJson(c));
    const id = c.req.param('id');
    if (!(await publishVersion(c.var.services.db, id, version, c.var.principal.name, c.var.services.now())))
      throw notFound(`version ${version} of workflow "${id}"`);
    return c.json({ id, publishedVersion: version });
  });
