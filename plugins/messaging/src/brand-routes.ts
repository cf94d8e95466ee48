import {
  bodyShape,
  callerOf,
  Hono,
  type JsonSchema,
  type PluginContext,
  type PluginEnv,
  readJson,
  requires,
} from '@tend/plugin-sdk';
import { currentBrand, forgetBrand } from './brand-context.ts';
import { type Brand, type MessagingDatabase, saveBrand } from './brand-store.ts';
import type { MessagingSettings } from './settings.ts';

const text = (max: number): JsonSchema => ({ type: 'string', maxLength: max });
const bilingual = (max: number): JsonSchema => ({
  type: 'object',
  properties: { en: text(max), 'zh-CN': text(max) },
  required: ['en', 'zh-CN'],
  additionalProperties: false,
});

export const brandBody = bodyShape<Brand>({
  type: 'object',
  properties: {
    name: bilingual(120),
    logoUrl: { type: 'string', maxLength: 2000, pattern: '^(https://\\S+)?$' },
    address: bilingual(300),
    servicePhone: { type: 'string', maxLength: 40, pattern: '^[0-9+()\\s.-]*$' },
    serviceEmail: { type: 'string', maxLength: 200, pattern: '^([^\\s@<>"]+@[^\\s@<>"]+\\.[^\\s@<>"]+)?$' },
    websiteUrl: { type: 'string', maxLength: 500, pattern: '^(https?://[^\\s/]+(/\\S*)?)?$' },
    // Goes into the From header: no quotes, angle brackets or line breaks.
    senderName: { type: 'string', maxLength: 100, pattern: '^[^<>"\\r\\n]*$' },
  },
  required: ['name', 'logoUrl', 'address', 'servicePhone', 'serviceEmail', 'websiteUrl', 'senderName'],
  additionalProperties: false,
});

/** `GET`/`PUT /api/brand`: what every message shows of the company (admins and operators change it). */
export function brandApi(ctx: PluginContext<MessagingSettings, MessagingDatabase>) {
  return new Hono<PluginEnv>()
    .get('/', requires('read'), async (c) => c.json(await currentBrand(ctx)))
    .put('/', requires('workflows:write'), async (c) => {
      const brand = brandBody(await readJson(c));
      await saveBrand(ctx.db, brand, callerOf(c).name, ctx.now());
      forgetBrand(ctx);
      return c.json(await currentBrand(ctx));
    });
}
