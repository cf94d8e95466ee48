import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Hono } from 'hono';
import { parse } from 'yaml';
import type { AppEnv } from '../server/services.ts';
import { requires } from './auth.ts';

export interface LibraryItem {
  id: string;
  title: string | null;
  files: string[];
}

/**
 * What a folder offers to pick from: one item per name (the part before the first dot, or a
 * sub-folder), so `welcome.email.liquid` and `welcome.sms.liquid` are one template.
 */
async function itemsIn(dir: string): Promise<LibraryItem[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const items = new Map<string, LibraryItem>();
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const id = e.isDirectory() ? e.name : (e.name.split('.')[0] ?? e.name);
    const item = items.get(id) ?? { id, title: null, files: [] };
    item.files.push(e.name);
    if (e.isFile() && /\.ya?ml$/.test(e.name)) item.title ??= await titleOf(path.join(dir, e.name));
    items.set(id, item);
  }
  return [...items.values()].sort((a, b) => a.id.localeCompare(b.id));
}

async function titleOf(file: string): Promise<string | null> {
  try {
    const value = parse(await readFile(file, 'utf8')) as Record<string, unknown> | null;
    const title = value?.title ?? value?.name ?? value?.subject;
    return typeof title === 'string' ? title : null;
  } catch {
    return null;
  }
}

/** `GET /library`: templates and surveys in the workflows folder, for the editor's pickers. */
export const libraryApi = new Hono<AppEnv>().get('/', requires('read'), async (c) => {
  const dir = c.var.services.config.workflowsDir;
  return c.json({
    templates: await itemsIn(path.join(dir, 'templates')),
    surveys: await itemsIn(path.join(dir, 'surveys')),
  });
});
