import { type Localized, localize } from '@tend/plugin-sdk';
import { Hono } from 'hono';
import type { AppEnv } from './app-env.ts';
import { requires } from './auth.ts';

/** A text as the API gives it: English in the field, every language beside it. */
const texts = (text: Localized | undefined, fallback = '') => ({
  en: text === undefined ? fallback : localize(text, 'en'),
  'zh-CN': text === undefined ? fallback : localize(text, 'zh-CN'),
});

/**
 * Installed plugins: their steps with schemas (the editor's palette and forms), the events they
 * emit (offered where a journey waits or starts), their customer facets and file folders. Texts
 * come in English (`title`, `description`) and in every language (`texts`).
 */
export const pluginsApi = new Hono<AppEnv>().get('/', requires('read'), (c) => {
  const { registry } = c.var.services;
  const plugins = registry.plugins().map((p) => ({
    name: p.name,
    version: p.version,
    title: texts(p.title, p.name).en,
    description: texts(p.description).en,
    texts: { title: texts(p.title, p.name), description: texts(p.description) },
    steps: p.steps.map((s) => ({
      id: `${p.name}.${s.name}`,
      title: texts(s.title).en,
      description: texts(s.description).en,
      texts: { title: texts(s.title), description: texts(s.description) },
      configSchema: s.configSchema,
      inputSchema: s.inputSchema ?? null,
      outputSchema: s.outputSchema ?? null,
      retry: registry.get(`${p.name}.${s.name}`)?.retry,
    })),
    events: (p.events ?? []).map((e) => ({
      type: e.type,
      title: texts(e.title).en,
      texts: { title: texts(e.title), description: texts(e.description) },
      dataSchema: e.dataSchema,
    })),
    facet: p.facet ? { name: p.facet.name, title: texts(p.facet.title), schema: p.facet.schema } : null,
    files: (p.files ?? []).map((f) => ({ folder: f.folder, title: texts(f.title) })),
  }));
  return c.json({ plugins });
});
