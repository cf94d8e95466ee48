import { definePlugin, Hono, type PluginContext, type PluginEnv, requires } from '@tend/plugin-sdk';
import { listStamps, MIGRATIONS, markSeen, stamp } from './stamps-store.ts';

interface ExampleSettings {
  greeting: string;
}

/** A plugin that owns one of everything a plugin can own (README). */
export default definePlugin<ExampleSettings>({
  name: 'example',
  version: '1.0.0',
  title: { en: 'Example', 'zh-CN': '示例' },
  description: {
    en: 'Stamps customers; shows everything a plugin can own.',
    'zh-CN': '给客户盖章；演示插件能拥有的一切。',
  },
  settings: {
    type: 'object',
    properties: {
      greeting: {
        type: 'string',
        minLength: 1,
        maxLength: 100,
        default: 'Hello',
        title: 'Greeting',
        description: 'What the public page says (TEND_EXAMPLE_GREETING)',
      },
    },
    additionalProperties: false,
  },
  migrations: MIGRATIONS,
  events: [
    {
      type: 'example.stamped',
      title: { en: 'Customer stamped', 'zh-CN': '客户已盖章' },
      dataSchema: { type: 'object', properties: { note: { type: 'string' } }, required: ['note'] },
    },
  ],
  steps: [
    {
      name: 'stamp',
      title: { en: 'Stamp the customer', 'zh-CN': '给客户盖章' },
      description: {
        en: 'Records a stamp with a note in the example plugin’s table, then sends example.stamped.',
        'zh-CN': '在示例插件的表中记录带备注的盖章，然后发出 example.stamped。',
      },
      awaits: [],
      configSchema: {
        type: 'object',
        properties: {
          note: {
            type: 'string',
            title: 'Note',
            'x-zh-CN': { title: '备注' },
            minLength: 1,
            maxLength: 200,
          },
        },
        required: ['note'],
        additionalProperties: false,
      },
      outputSchema: { type: 'object', properties: { key: { type: 'string' } }, required: ['key'] },
      async run(ctx) {
        const db = (ctx.services as PluginContext<ExampleSettings>).db;
        const row = await stamp(db, {
          key: ctx.idempotencyKey,
          customer_id: ctx.customer.id,
          note: String(ctx.config.note),
          stamped_at: ctx.now,
        });
        await ctx.services.events.emit([
          {
            id: `example.stamped:${row.key}`,
            customerId: row.customer_id,
            type: 'example.stamped',
            data: { note: row.note },
          },
        ]);
        return { status: 'done', output: { key: row.key } };
      },
      preview: (ctx) => ({ summary: `stamp "${String(ctx.config.note)}"`, output: { key: 'preview' } }),
    },
  ],
  routes: {
    api: {
      app: (ctx) =>
        new Hono<PluginEnv>().get('/stamps', requires('read'), async (c) => {
          const rows = await listStamps(ctx.db, 100);
          return c.json({
            stamps: rows.map((r) => ({
              customerId: r.customer_id,
              note: r.note,
              stampedAt: r.stamped_at.toISOString(),
              seen: r.seen_at !== null,
            })),
          });
        }),
      // The routes described for the API reference (GET /api/openapi.json), paths under /api/example.
      openapi: {
        'GET /stamps': {
          summary: 'The latest stamps',
          access: 'read',
          responses: {
            200: {
              description: 'Newest first',
              schema: { type: 'object', properties: { stamps: { type: 'array' } }, required: ['stamps'] },
            },
          },
        },
      },
    },
    public: {
      paths: ['/hello'],
      app: (ctx: PluginContext<ExampleSettings>) =>
        new Hono<PluginEnv>().get('/hello', (c) =>
          c.html(
            `<!doctype html><html lang="en"><title>Hello</title><h1>${escapeHtml(ctx.settings.greeting)}</h1></html>`,
          ),
        ),
      openapi: {
        'GET /hello': {
          summary: 'A greeting page, reached without a key',
          access: 'public',
          responses: { 200: { description: 'The page', contentType: 'text/html' } },
        },
      },
    },
  },
  background: [
    {
      name: 'mark-seen',
      everySeconds: 60,
      async run(ctx) {
        const seen = await markSeen(ctx.services.db, ctx.now);
        if (seen > 0) ctx.log.info('stamps seen', { seen });
      },
    },
  ],
});

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
