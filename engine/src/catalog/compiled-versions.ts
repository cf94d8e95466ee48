import { compiledFor } from '../compiler/cache.ts';
import type { CompiledWorkflow } from '../compiler/compile.ts';
import type { WorkflowDef } from '../definitions/types.ts';
import type { Db } from '../store/db.ts';
import { definitionsOf } from '../store/workflow-versions.ts';

const known = new Map<string, { hash: string; def: WorkflowDef }>();

/**
 * A definition as stored (JSON in workflow_versions.definition): written by save-version from a
 * validated definition, so it is one.
 */
export const storedDefinition = (stored: unknown): WorkflowDef => stored as WorkflowDef;

/** The cache key of a workflow version. */
export const versionKey = (workflowId: string, version: number) => `${workflowId}@${version}`;

/**
 * Compiled machines for the versions runs are pinned to. Versions are immutable, so each is read
 * from the database once per process and compiled once per content hash.
 */
export async function compiledVersions(
  db: Db,
  wanted: { workflowId: string; version: number }[],
): Promise<Map<string, CompiledWorkflow>> {
  const missing = new Map<string, { workflowId: string; version: number }>();
  for (const w of wanted) {
    const k = versionKey(w.workflowId, w.version);
    if (!known.has(k)) missing.set(k, w);
  }
  for (const row of await definitionsOf(db, [...missing.values()])) {
    known.set(versionKey(row.workflowId, row.version), { hash: row.hash, def: storedDefinition(row.def) });
  }
  const out = new Map<string, CompiledWorkflow>();
  for (const w of wanted) {
    const k = versionKey(w.workflowId, w.version);
    const v = known.get(k);
    if (v)
      out.set(
        k,
        compiledFor(v.hash, () => v.def),
      );
  }
  return out;
}
