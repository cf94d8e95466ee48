import type { JsonSchema, PluginContext, StepContext, StepDefinition } from '@tend/plugin-sdk';
import { displayCode, normalizeCode } from './codes.ts';
import { refreshFacet } from './facet.ts';
import { shareable } from './links.ts';
import {
  ensureCode,
  ownerOfCode,
  type ReferralsDatabase,
  recordConversion,
  recordReferral,
} from './referral-store.ts';

type Ctx = PluginContext<unknown, ReferralsDatabase>;
const services = (ctx: StepContext<unknown>) => ctx.services as Ctx;

const noConfig: JsonSchema = { type: 'object', properties: {}, additionalProperties: false };

export const invite: StepDefinition<Record<string, never>> = {
  name: 'invite',
  title: { en: 'Referral link', 'zh-CN': '推荐链接' },
  description: {
    en: 'Gives the customer a referral code and link (the same one every time): use {{ steps.<id>.output.link }} and .display in the message that follows.',
    'zh-CN':
      '为客户生成推荐码和推荐链接（每次相同）：在随后的消息中使用 {{ steps.<id>.output.link }} 和 .display。',
  },
  awaits: [],
  configSchema: noConfig,
  outputSchema: {
    type: 'object',
    properties: { code: { type: 'string' }, display: { type: 'string' }, link: { type: 'string' } },
    required: ['code', 'display', 'link'],
  },
  async run(ctx) {
    const code = await ensureCode(services(ctx).db, ctx.customer.id, ctx.now);
    await refreshFacet(services(ctx), ctx.customer.id);
    return { status: 'done' as const, output: shareable(services(ctx), code) };
  },
  preview: () => ({
    summary: 'give the customer a referral code and link',
    output: { code: 'AB12CD34', display: 'AB12-CD34', link: 'https://example.com/r/AB12-CD34' },
  }),
};

interface AttributeConfig {
  code: string;
}

export const attribute: StepDefinition<AttributeConfig> = {
  name: 'attribute',
  title: { en: 'Attribute a referral', 'zh-CN': '记录推荐来源' },
  description: {
    en: 'Records who brought this new customer, from the referral code they signed up with (once; a second code is ignored), and tells the referrer: referral.signed_up.',
    'zh-CN':
      '根据新客户注册时填写的推荐码记录推荐人（只记录一次，之后的推荐码会被忽略），并通知推荐人：referral.signed_up。',
  },
  awaits: [],
  configSchema: {
    type: 'object',
    properties: {
      code: {
        type: 'string',
        title: 'Referral code',
        description: 'Usually "{{ event.data.referralCode }}"',
        'x-zh-CN': { title: '推荐码', description: '通常为 "{{ event.data.referralCode }}"' },
        maxLength: 100,
      },
    },
    required: ['code'],
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      status: { enum: ['attributed', 'already', 'unknown', 'self'] },
      referrer: { type: ['string', 'null'] },
    },
    required: ['status', 'referrer'],
  },
  async run(ctx) {
    const plugin = services(ctx);
    const code = normalizeCode(ctx.config.code);
    const referrer = code ? await ownerOfCode(plugin.db, code) : null;
    // An unknown or mistyped code is no failure: the journey can branch on the status.
    if (!code || !referrer) return { status: 'done' as const, output: { status: 'unknown', referrer: null } };
    if (referrer === ctx.customer.id)
      return { status: 'done' as const, output: { status: 'self', referrer } };
    const r = await recordReferral(plugin.db, {
      referredId: ctx.customer.id,
      referrerId: referrer,
      code,
      at: ctx.now,
    });
    // Also on a repeat: a crash after the row but before these leaves them to the retry (the
    // event's id makes the second emit a duplicate).
    if (r.row.referrer_id === referrer) {
      await plugin.events.emit([
        {
          id: `referral.signed_up:${ctx.customer.id}`,
          customerId: referrer,
          type: 'referral.signed_up',
          data: { referred: ctx.customer.id, code: displayCode(code) },
        },
      ]);
    }
    await Promise.all([refreshFacet(plugin, r.row.referrer_id), refreshFacet(plugin, ctx.customer.id)]);
    return {
      status: 'done' as const,
      output: { status: r.created ? 'attributed' : 'already', referrer: r.row.referrer_id },
    };
  },
  preview: (ctx) => ({
    summary: `attribute the sign-up to the owner of code ${ctx.config.code}`,
    output: { status: 'attributed', referrer: 'referrer-id' },
  }),
};

interface ConvertConfig {
  order?: string;
}

export const convert: StepDefinition<ConvertConfig> = {
  name: 'convert',
  title: { en: 'Referral converted', 'zh-CN': '推荐成交' },
  description: {
    en: "Marks a referred customer's first order (once) and tells the referrer: referral.converted, which a journey can reward.",
    'zh-CN': '记录被推荐客户的首单（只记录一次），并通知推荐人：referral.converted，可由旅程给予奖励。',
  },
  awaits: [],
  configSchema: {
    type: 'object',
    properties: {
      order: {
        type: 'string',
        title: 'Order',
        description: 'The order that converted, e.g. "{{ event.data.orderId }}" (optional)',
        'x-zh-CN': { title: '订单', description: '成交的订单，如 "{{ event.data.orderId }}"（可选）' },
        maxLength: 200,
      },
    },
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      status: { enum: ['converted', 'already', 'not_referred'] },
      referrer: { type: ['string', 'null'] },
    },
    required: ['status', 'referrer'],
  },
  async run(ctx) {
    const plugin = services(ctx);
    const order = ctx.config.order?.trim() || null;
    const r = await recordConversion(plugin.db, ctx.customer.id, ctx.now, order);
    if (!r.row) return { status: 'done' as const, output: { status: 'not_referred', referrer: null } };
    await plugin.events.emit([
      {
        id: `referral.converted:${ctx.customer.id}`,
        customerId: r.row.referrer_id,
        type: 'referral.converted',
        data: { referred: ctx.customer.id, ...(r.row.order_ref ? { order: r.row.order_ref } : {}) },
      },
    ]);
    await refreshFacet(plugin, r.row.referrer_id);
    return {
      status: 'done' as const,
      output: { status: r.converted ? 'converted' : 'already', referrer: r.row.referrer_id },
    };
  },
  preview: () => ({
    summary: "mark the referred customer's first order",
    output: { status: 'converted', referrer: 'referrer-id' },
  }),
};
