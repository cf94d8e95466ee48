import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { contentHash } from '../definitions/validate.ts';

export interface LocalWorkflow {
  /** As shown to the user (relative to the current folder). */
  file: string;
  yaml: string;
  hash: string;
  /** The `id:` of the file, when it parses that far. */
  id: string | null;
}

export interface LocalFile {
  /** Relative to its workflows folder, `/`-separated: what the server stores. */
  path: string;
  file: string;
  content: string;
  hash: string;
}

export interface LocalSet {
  workflows: LocalWorkflow[];
  files: LocalFile[];
  /** The workflows folders the files came from (for journey tests). */
  roots: string[];
}

/** A journey file, not lifecycle.yaml or a test file. */
export const isJourneyText = (text: string) => /^states\s*:/m.test(text);

/**
 * What `paths` hold: workflow files (directly in a folder) and the template and survey files
 * in its `folders`. A single file inside `templates/` or `surveys/` counts as such a file.
 */
export async function collectLocal(paths: string[], folders: string[]): Promise<LocalSet> {
  const set: LocalSet = { workflows: [], files: [], roots: [] };
  for (const target of paths) {
    const info = await stat(target).catch(() => null);
    if (!info) throw new Error(`${target}: no such file or folder`);
    if (info.isDirectory()) {
      set.roots.push(target);
      for (const e of (await readdir(target, { withFileTypes: true })).sort((a, b) =>
        a.name.localeCompare(b.name),
      )) {
        if (e.isFile() && /\.ya?ml$/.test(e.name) && !e.name.endsWith('.test.yaml'))
          await addWorkflow(set, path.join(target, e.name));
      }
      for (const folder of folders) {
        const entries = await readdir(path.join(target, folder), {
          recursive: true,
          withFileTypes: true,
        }).catch(() => []);
        for (const e of entries) {
          if (e.isFile() && !e.name.startsWith('.'))
            await addFile(set, target, path.join(e.parentPath, e.name));
        }
      }
      continue;
    }
    const parts = path.resolve(target).split(path.sep);
    const at = parts.findLastIndex((p) => folders.includes(p));
    if (at > 0) await addFile(set, parts.slice(0, at).join(path.sep) || path.sep, target);
    else await addWorkflow(set, target);
  }
  set.files.sort((a, b) => a.path.localeCompare(b.path));
  return set;
}

async function addWorkflow(set: LocalSet, file: string): Promise<void> {
  const yaml = await readFile(file, 'utf8');
  if (!isJourneyText(yaml)) return;
  let id: string | null = null;
  try {
    const doc = parse(yaml) as { id?: unknown };
    id = typeof doc?.id === 'string' ? doc.id : null;
  } catch {}
  set.workflows.push({ file: shown(file), yaml, hash: contentHash(yaml), id });
}

async function addFile(set: LocalSet, root: string, file: string): Promise<void> {
  const content = await readFile(file, 'utf8');
  const relative = path.relative(root, path.resolve(file)).split(path.sep).join('/');
  set.files.push({ path: relative, file: shown(file), content, hash: contentHash(content) });
}

const shown = (file: string) => path.relative(process.cwd(), file) || file;
