import type { StepCatalog } from '../definitions/catalog.ts';
import type { WorkflowDef } from '../definitions/types.ts';
import { validateWorkflow } from '../definitions/validate.ts';
import type { YamlSource } from '../definitions/yaml-source.ts';
import { ValidationFailed, type ValidationIssue } from '../errors.ts';
import { audit } from '../store/audit-log.ts';
import type { Db } from '../store/db.ts';
import { findVersionByHash, insertVersion } from '../store/workflow-versions.ts';
import { lockOrCreateWorkflow, setPublished } from '../store/workflows.ts';

export interface SaveMeta {
  createdBy: string | null;
  source: 'api' | 'cli' | 'editor' | 'start' | null;
  message: string | null;
}

export interface Saved {
  id: string;
  version: number;
  hash: string;
  created: boolean;
}

/**
 * Stores a workflow file as a new immutable version (made `now`, the engine's time), after
 * validating all of it. The same bytes again return the existing version; invalid files store
 * nothing (ValidationFailed).
 */
export async function saveVersion(
  db: Db,
  catalog: StepCatalog,
  yaml: string,
  meta: SaveMeta,
  now: Date,
  /** Checks the names its steps use (publishing/check-names.ts); none: not checked. */
  checkNamesOf?: (v: { source: YamlSource; def: WorkflowDef }) => Promise<ValidationIssue[]>,
): Promise<Saved> {
  const v = validateWorkflow(yaml, catalog);
  if (!v.ok) throw new ValidationFailed(v.issues);
  const names = checkNamesOf ? await checkNamesOf(v) : [];
  if (names.length > 0) throw new ValidationFailed(names);
  return db.transaction().execute((trx) => storeVersion(trx, v.def, v.hash, yaml, meta, now));
}

/** Stores a validated workflow inside the caller's transaction (see saveVersion). */
export async function storeVersion(
  trx: Db,
  def: WorkflowDef,
  hash: string,
  yaml: string,
  meta: SaveMeta,
  now: Date,
): Promise<Saved> {
  const existing = await findVersionByHash(trx, def.id, hash);
  if (existing !== null) return { id: def.id, version: existing, hash, created: false };
  await lockOrCreateWorkflow(trx, def.id, def.name, def.stage ?? null, now);
  // Another writer may have stored the same bytes while this one waited for the lock.
  const raced = await findVersionByHash(trx, def.id, hash);
  if (raced !== null) return { id: def.id, version: raced, hash, created: false };
  const version = await insertVersion(trx, { workflowId: def.id, hash, yaml, def, ...meta }, now);
  await audit(
    trx,
    [
      {
        actor: meta.createdBy ?? 'unknown',
        action: 'create-version',
        entity: 'workflow',
        entityId: def.id,
        detail: { version, source: meta.source, message: meta.message },
      },
    ],
    now,
  );
  return { id: def.id, version, hash, created: true };
}

/** Makes a stored version the one new runs start on; running customers keep theirs. */
export async function publishVersion(
  db: Db,
  workflowId: string,
  version: number,
  actor: string,
  now: Date,
): Promise<boolean> {
  return db.transaction().execute((trx) => publishIn(trx, workflowId, version, actor, now));
}

/** Publishes inside the caller's transaction (see publishVersion). */
export async function publishIn(
  trx: Db,
  workflowId: string,
  version: number,
  actor: string,
  now: Date,
): Promise<boolean> {
  const exists = await trx
    .selectFrom('workflow_versions')
    .select('version')
    .where('workflow_id', '=', workflowId)
    .where('version', '=', version)
    .executeTakeFirst();
  if (!exists) return false;
  await setPublished(trx, workflowId, version, now);
  await audit(
    trx,
    [{ actor, action: 'publish', entity: 'workflow', entityId: workflowId, detail: { version } }],
    now,
  );
  return true;
}
