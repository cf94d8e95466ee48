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

/** Folders of templates that are not messages of their own. */
const SHARED_TEMPLATE_FOLDERS = new Set(['layouts', 'partials']);

/**
 * What a folder offers to pick from: one item per name (the part before the first dot), so
 * `email/welcome.en.mjml` and `sms/welcome.zh-CN.liquid` are one template. Templates sit in one
 * folder per channel; layouts and partials are not offered.
 */
async function itemsIn(
  dir: string,
  items = new Map<string, LibraryItem>(),
  prefix = '',
): Promise<LibraryItem[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    if (e.isDirectory()) {
      if (!prefix && !SHARED_TEMPLATE_FOLDERS.has(e.name))
        await itemsIn(path.join(dir, e.name), items, `${e.name}/`);
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

/** `GET /library`: templates and surveys in the workflows folder, for the editor's pickers. */
export const libraryApi = new Hono<AppEnv>().get('/', requires('read'), async (c) => {
  const dir = c.var.services.config.workflowsDir;
  return c.json({
    templates: await itemsIn(path.join(dir, 'templates')),
    surveys: await itemsIn(path.join(dir, 'surveys')),
  });
});
