import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { WorkflowDef } from '../definitions/types.ts';
import { contentHash, validateWorkflow } from '../definitions/validate.ts';
import type { YamlSource } from '../definitions/yaml-source.ts';
import { AppError } from '../errors.ts';
import type { PluginRegistry } from '../plugins-host/registry.ts';
import { audit } from '../store/audit-log.ts';
import type { Db } from '../store/db.ts';
import { fileVersion, insertFileVersion, lockFiles } from '../store/workflow-files.ts';
import { findVersionByHash } from '../store/workflow-versions.ts';
import { getWorkflow } from '../store/workflows.ts';
import { checkNames, type NameSources } from './check-names.ts';
import { publishIn, type SaveMeta, storeVersion } from './save-version.ts';
import { fileFolder, type WorkflowFile, writeFiles } from './workflow-files.ts';

export interface PushRequest {
  /** Workflow files: `file` names the file for error messages (the id comes from the YAML). */
  workflows: { file: string; yaml: string }[];
  /** Template and survey files, by path relative to the workflows folder. */
  files: WorkflowFile[];
  publish: boolean;
  message: string | null;
  dryRun: boolean;
  actor: string;
  source: NonNullable<SaveMeta['source']>;
}

export interface PushIssue {
  file: string;
  path: string;
  line: number;
  column: number;
  message: string;
}

export interface PushResult {
  dryRun: boolean;
  workflows: {
    file: string;
    id: string;
    version: number | null;
    /** created: a new version; existing: these bytes were already a version; unchanged: and published as asked. */
    status: 'created' | 'existing' | 'unchanged' | 'would-create';
    published: boolean;
    previouslyPublished: number | null;
  }[];
  files: { path: string; version: number | null; status: 'created' | 'unchanged' | 'would-create' }[];
}

/** 422: nothing was stored; every problem of every file is listed. */
export class PushRejected extends AppError {
  readonly issues: PushIssue[];

  constructor(issues: PushIssue[]) {
    const first = issues[0];
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    super(
      422,
      'invalid_push',
      first ? `${first.file}:${first.line}:${first.column}: ${first.message}${more}` : 'invalid',
      issues,
    );
    this.issues = issues;
  }
}

/**
 * Uploads workflows, templates and surveys together: all are validated first, then stored (and
 * published, when asked) in one transaction, so a push changes everything or nothing. Bytes
 * already stored are no-ops. Files are written into the server's workflows folder after the
 * commit, where the plugins pick them up.
 */
export async function push(
  db: Db,
  registry: PluginRegistry,
  workflowsDir: string,
  req: PushRequest,
  now: Date,
  /** Where the names the journeys use are looked up, with the push's own files first. */
  names?: (pushed: ReadonlyMap<string, string>) => NameSources,
): Promise<PushResult> {
  const issues: PushIssue[] = [];
  const valid: { file: string; def: WorkflowDef; hash: string; yaml: string; source: YamlSource }[] = [];
  const seen = new Map<string, string>();
  for (const w of req.workflows) {
    const v = validateWorkflow(w.yaml, registry);
    if (!v.ok) {
      issues.push(...v.issues.map((i) => ({ file: w.file, ...i })));
      continue;
    }
    const twin = seen.get(v.def.id);
    if (twin)
      issues.push({
        file: w.file,
        path: 'id',
        line: 1,
        column: 1,
        message: `${twin} has the same id "${v.def.id}"`,
      });
    seen.set(v.def.id, w.file);
    valid.push({ file: w.file, def: v.def, hash: v.hash, yaml: w.yaml, source: v.source });
  }
  const pushed = new Map(req.files.map((f) => [f.path, f.content]));
  const read = async (relative: string): Promise<string | null> =>
    pushed.get(relative) ??
    (await fileVersion(db, relative))?.content ??
    (await readFile(path.join(workflowsDir, ...relative.split('/')), 'utf8').catch(() => null));
  for (const f of req.files) {
    const folder = fileFolder(registry, f.path);
    const kind = folder ? registry.fileKind(folder) : undefined;
    if (!kind) {
      const known = registry
        .fileFolders()
        .map((d) => `${d}/`)
        .join(', ');
      issues.push({
        file: f.path,
        path: '',
        line: 0,
        column: 0,
        message: `no plugin reads this file (files go in ${known})`,
      });
      continue;
    }
    for (const i of await kind.validate(f.path, f.content, read))
      issues.push({ file: f.path, path: '', ...i });
  }
  if (names) {
    const sources = names(pushed);
    for (const w of valid) {
      for (const i of await checkNames(w.source, w.def, registry, sources))
        issues.push({ file: w.file, ...i });
    }
  }
  if (issues.length > 0) throw new PushRejected(issues);

  const result: PushResult = { dryRun: req.dryRun, workflows: [], files: [] };
  if (req.dryRun) {
    for (const w of valid) {
      const version = await findVersionByHash(db, w.def.id, w.hash);
      const current = await getWorkflow(db, w.def.id);
      const previouslyPublished = current?.publishedVersion ?? null;
      const published = req.publish && (version === null || version !== previouslyPublished);
      const status = version === null ? 'would-create' : published || !req.publish ? 'existing' : 'unchanged';
      result.workflows.push({ file: w.file, id: w.def.id, version, status, published, previouslyPublished });
    }
    for (const f of req.files) {
      const same = (await fileVersion(db, f.path))?.hash === contentHash(f.content);
      result.files.push({ path: f.path, version: null, status: same ? 'unchanged' : 'would-create' });
    }
    return result;
  }

  const written: WorkflowFile[] = [];
  await db.transaction().execute(async (trx) => {
    const meta = { createdBy: req.actor, source: req.source, message: req.message };
    for (const w of valid) {
      const saved = await storeVersion(trx, w.def, w.hash, w.yaml, meta, now);
      const previouslyPublished = (await getWorkflow(trx, w.def.id))?.publishedVersion ?? null;
      const publish = req.publish && previouslyPublished !== saved.version;
      if (publish) await publishIn(trx, w.def.id, saved.version, req.actor, now);
      const status = saved.created ? 'created' : publish || !req.publish ? 'existing' : 'unchanged';
      result.workflows.push({
        file: w.file,
        id: w.def.id,
        version: saved.version,
        status,
        published: publish,
        previouslyPublished,
      });
    }
    if (req.files.length > 0) await lockFiles(trx);
    for (const f of req.files) {
      const hash = contentHash(f.content);
      const latest = await fileVersion(trx, f.path);
      if (latest?.hash === hash) {
        result.files.push({ path: f.path, version: latest.version, status: 'unchanged' });
        continue;
      }
      const version = await insertFileVersion(
        trx,
        { path: f.path, hash, content: f.content, ...meta, createdBy: req.actor },
        now,
      );
      await audit(
        trx,
        [
          {
            actor: req.actor,
            action: 'push-file',
            entity: 'file',
            entityId: f.path,
            detail: { version, source: req.source, message: req.message },
          },
        ],
        now,
      );
      result.files.push({ path: f.path, version, status: 'created' });
      written.push(f);
    }
  });
  await writeFiles(workflowsDir, written);
  return result;
}
