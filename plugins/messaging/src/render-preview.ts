import {
  bodyShape,
  Hono,
  HttpError,
  isStepError,
  type PluginContext,
  type PluginEnv,
  readJson,
  requires,
} from '@tend/plugin-sdk';
import { brandFor, brandOf, ownerFor } from './brand-context.ts';
import type { MessagingDatabase } from './brand-store.ts';
import type { MessagingSettings } from './settings.ts';
import { templatesOf } from './templates.ts';

interface RenderBody {
  channel: 'email' | 'sms';
  template: string;
  data?: Record<string, unknown>;
  /** A stored customer, or the preview's sample customer as the editor describes it. */
  customerId?: string;
  customer?: Record<string, unknown>;
}

export const renderBody = bodyShape<RenderBody>({
  type: 'object',
  properties: {
    channel: { enum: ['email', 'sms'] },
    // A name in the templates folder, never a path.
    template: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,199}$' },
    data: { type: 'object' },
    customerId: { type: 'string', minLength: 1, maxLength: 200 },
    customer: { type: 'object' },
  },
  required: ['channel', 'template'],
  additionalProperties: false,
});

/**
 * `POST /api/outbox/render`: a template as one customer would get it now (brand, owner, their
 * language), for the journey preview; nothing is sent or recorded. A missing template or one that
 * does not render is a 422 with the template's own error.
 */
export function renderPreview(ctx: PluginContext<MessagingSettings, MessagingDatabase>) {
  return new Hono<PluginEnv>().post('/render', requires('read'), async (c) => {
    const body = renderBody(await readJson(c));
    const customer = body.customerId ? await ctx.customers.get(body.customerId) : (body.customer ?? null);
    if (body.customerId && !customer)
      throw new HttpError(404, 'not_found', `customer "${body.customerId}" not found`);
    const locale = typeof customer?.locale === 'string' ? customer.locale : null;
    try {
      const rendered = await templatesOf(ctx.host.workflowsDir).render(
        body.channel,
        body.template,
        locale,
        ctx.host.defaultLocale,
        {
          customer,
          data: body.data ?? {},
          unsubscribeUrl: `${ctx.host.publicUrl()}/u/preview`,
          brand: brandFor(await brandOf(ctx), locale ?? ctx.host.defaultLocale),
          owner: await ownerFor(ctx, customer?.owner),
        },
      );
      return c.json(rendered);
    } catch (error) {
      if (isStepError(error)) throw new HttpError(422, error.code, error.message);
      throw error;
    }
  });
}
