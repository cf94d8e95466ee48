import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { contentHash } from '../definitions/validate.ts';
import type { Logger } from '../logger.ts';
import type { PluginRegistry } from '../plugins-host/registry.ts';
import type { Db } from '../store/db.ts';
import { insertFileVersion, knownFileHash, latestFiles, lockFiles } from '../store/workflow-files.ts';

/** A file next to the workflows, by its path relative to the workflows folder (`/`-separated). */
export interface WorkflowFile {
  path: string;
  content: string;
}

/** Is this relative path one a plugin reads, and a safe one (no way out of the folder)? */
export function fileFolder(registry: PluginRegistry, relative: string): string | null {
  const parts = relative.split('/');
  if (parts.length < 2 || parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\')))
    return null;
  return registry.fileKind(parts[0] as string) ? (parts[0] as string) : null;
}

/** The template and survey files under a workflows folder (those a plugin reads). */
export async function filesUnder(registry: PluginRegistry, dir: string): Promise<WorkflowFile[]> {
  const out: WorkflowFile[] = [];
  for (const folder of registry.fileFolders()) {
    const entries = await readdir(path.join(dir, folder), { recursive: true, withFileTypes: true }).catch(
      () => [],
    );
    for (const e of entries) {
      if (!e.isFile() || e.name.startsWith('.')) continue;
      const full = path.join(e.parentPath, e.name);
      out.push({
        path: path.relative(dir, full).split(path.sep).join('/'),
        content: await readFile(full, 'utf8'),
      });
    }
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** Writes files into the workflows folder, each atomically (plugins re-read what changed). */
export async function writeFiles(dir: string, files: WorkflowFile[]): Promise<void> {
  for (const f of files) {
    const target = path.join(dir, ...f.path.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${process.pid}.tmp`;
    await writeFile(temporary, f.content);
    await rename(temporary, target);
  }
}

/**
 * Reconciles the workflows folder with the stored file versions at start. A file the database
 * does not know is recorded as a new version (nothing edited on disk is lost); a file whose
 * bytes are an older stored version is stale (another host pushed) and gets the latest.
 */
export async function syncFilesAtStart(
  db: Db,
  registry: PluginRegistry,
  dir: string,
  log: Logger,
  now: Date,
): Promise<{ recorded: number; refreshed: number }> {
  const onDisk = new Map((await filesUnder(registry, dir)).map((f) => [f.path, f.content]));
  return db.transaction().execute(async (trx) => {
    await lockFiles(trx);
    const latest = new Map((await latestFiles(trx, true)).map((f) => [f.path, f]));
    let recorded = 0;
    const stale: WorkflowFile[] = [];
    for (const [relative, content] of onDisk) {
      const hash = contentHash(content);
      const stored = latest.get(relative);
      if (stored?.hash === hash) continue;
      if (stored?.content != null && (await knownFileHash(trx, relative, hash))) {
        stale.push({ path: relative, content: stored.content });
        continue;
      }
      await insertFileVersion(
        trx,
        {
          path: relative,
          hash,
          content,
          createdBy: 'tend start',
          source: 'start',
          message: stored ? 'changed on disk' : null,
        },
        now,
      );
      recorded += 1;
    }
    for (const [relative, stored] of latest) {
      if (!onDisk.has(relative) && stored.content !== null)
        stale.push({ path: relative, content: stored.content });
    }
    await writeFiles(dir, stale);
    if (recorded + stale.length > 0)
      log.info(
        `template and survey files: ${recorded} recorded from disk, ${stale.length} brought up to date`,
      );
    return { recorded, refreshed: stale.length };
  });
}
