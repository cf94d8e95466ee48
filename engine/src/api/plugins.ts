import { Hono } from 'hono';
import type { AppEnv } from '../server/services.ts';
import { requires } from './auth.ts';

/** Installed plugins and their steps, with schemas: the editor's palette and forms. */
export const pluginsApi = new Hono<AppEnv>().get('/', requires('read'), (c) => {
  const plugins = c.var.services.registry.plugins().map((p) => ({
    name: p.name,
    version: p.version,
    title: p.title ?? p.name,
    description: p.description ?? '',
    steps: p.steps.map((s) => ({
      id: `${p.name}.${s.name}`,
      title: s.title,
      description: s.description,
      configSchema: s.configSchema,
      inputSchema: s.inputSchema ?? null,
      outputSchema: s.outputSchema ?? null,
      retry: c.var.services.registry.get(`${p.name}.${s.name}`)?.retry,
    })),
  }));
  return c.json({ plugins });
});
