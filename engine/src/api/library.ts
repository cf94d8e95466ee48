import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Hono } from 'hono';
import { parse } from 'yaml';
import type { AppEnv } from './app-env.ts';
import { requires } from './auth.ts';

export interface LibraryItem {
  id: string;
  title: string | null;
  files: string[];
}

/**
 * What a folder offers to pick from: one item per name (the part before the first dot), so
 * `email/welcome.en.mjml` and `sms/welcome.zh-CN.liquid` are one template. Files may sit one
 * folder down (a folder per channel); the plugin's `parts` folders (layouts, partials) are not
 * offered.
 */
async function itemsIn(
  dir: string,
  parts: ReadonlySet<string>,
  items = new Map<string, LibraryItem>(),
  prefix = '',
): Promise<LibraryItem[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    if (e.isDirectory()) {
      if (!prefix && !parts.has(e.name)) await itemsIn(path.join(dir, e.name), parts, items, `${e.name}/`);
      continue;
    }
    const id = e.name.split('.')[0] ?? e.name;
    const item = items.get(id) ?? { id, title: null, files: [] };
    item.files.push(prefix + e.name);
    item.title ??= await titleOf(path.join(dir, e.name));
    items.set(id, item);
  }
  return [...items.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** A survey's title, or a template's subject from its front matter. */
async function titleOf(file: string): Promise<string | null> {
  try {
    const text = await readFile(file, 'utf8');
    const front = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
    if (!front && !/\.ya?ml$/.test(file)) return null;
    const value = parse(front ? (front[1] ?? '') : text) as Record<string, unknown> | null;
    const title = value?.title ?? value?.name ?? value?.subject;
    if (typeof title === 'string') return title;
    // A title per locale (`{ en: …, zh-CN: … }`): English, else the first one given.
    if (title && typeof title === 'object') {
      const byLocale = title as Record<string, unknown>;
      const text = byLocale.en ?? Object.values(byLocale)[0];
      return typeof text === 'string' ? text : null;
    }
    return null;
  } catch {
    return null;
  }
}

/**
 * `GET /library`: what the plugins' folders of the workflows folder offer (the messaging plugin's
 * templates, the surveys plugin's surveys), by folder, for the editor's pickers.
 */
export const libraryApi = new Hono<AppEnv>().get('/', requires('read'), async (c) => {
  const { config, registry } = c.var.services;
  const library: Record<string, LibraryItem[]> = {};
  for (const folder of registry.fileFolders()) {
    const parts = new Set(registry.fileKind(folder)?.parts ?? []);
    library[folder] = await itemsIn(path.join(config.workflowsDir, folder), parts);
  }
  return c.json(library);
});
