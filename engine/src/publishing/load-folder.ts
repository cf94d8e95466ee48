import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { StepCatalog } from '../definitions/catalog.ts';
import { ValidationFailed } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Db } from '../store/db.ts';
import { getWorkflow } from '../store/workflows.ts';
import { publishVersion, saveVersion } from './save-version.ts';

/** Workflow files directly in a folder (templates, surveys and tests live in subfolders). */
export async function workflowFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name) && !e.name.endsWith('.test.yaml'))
    .map((e) => path.join(dir, e.name))
    .sort();
}

/**
 * Stores the folder's workflows and publishes each one that has no published version yet, so a
 * first start runs the shipped journeys. Later starts never republish over an operator's choice.
 */
export async function loadWorkflowFolder(
  db: Db,
  catalog: StepCatalog,
  dir: string,
  log: Logger,
  now: Date,
  checkNamesOf?: Parameters<typeof saveVersion>[5],
): Promise<string[]> {
  const loaded: string[] = [];
  for (const file of await workflowFiles(dir)) {
    const text = await readFile(file, 'utf8');
    if (!/^\s*states\s*:/m.test(text)) continue; // not a journey (e.g. lifecycle.yaml)
    try {
      const saved = await saveVersion(
        db,
        catalog,
        text,
        {
          createdBy: 'tend start',
          source: 'start',
          message: path.basename(file),
        },
        now,
        checkNamesOf,
      );
      const current = await getWorkflow(db, saved.id);
      if (current?.publishedVersion === null)
        await publishVersion(db, saved.id, saved.version, 'tend start', now);
      loaded.push(`${saved.id} v${saved.version}${saved.created ? ' (new)' : ''}`);
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      for (const issue of error.issues) log.warn(`${file}:${issue.line}:${issue.column}: ${issue.message}`);
    }
  }
  return loaded;
}
