import { definePlugin, type PluginContext } from '@tend/plugin-sdk';
import { displayCode } from './codes.ts';
import { referralsFacet } from './facet.ts';
import { landingPages } from './landing.ts';
import {
  codeOf,
  eraseReferrals,
  MIGRATIONS,
  type ReferralsDatabase,
  referralOf,
  referredBy,
} from './referral-store.ts';
import { landingDocs, referralsDocs } from './route-docs.ts';
import { referralsApi } from './routes.ts';
import { type ReferralsSettings, settingsSchema } from './settings.ts';
import { attribute, convert, invite } from './steps.ts';

type Ctx = PluginContext<ReferralsSettings, ReferralsDatabase>;

/** Referral codes and links; referred sign-ups and first orders credited to the referrer. */
export default definePlugin<ReferralsSettings>({
  name: 'referrals',
  version: '1.0.0',
  title: { en: 'Referrals', 'zh-CN': '推荐有礼' },
  description: {
    en: 'A referral code and link per customer; referred sign-ups and first orders credited to the referrer (customer.referrals).',
    'zh-CN': '每位客户一个推荐码和推荐链接；被推荐客户的注册和首单记在推荐人名下（customer.referrals）。',
  },
  steps: [invite, attribute, convert],
  settings: settingsSchema,
  migrations: MIGRATIONS,
  facet: referralsFacet,
  events: [
    {
      type: 'referral.signed_up',
      title: { en: 'A referred friend signed up', 'zh-CN': '推荐的朋友已注册' },
      dataSchema: { type: 'object', properties: { referred: { type: 'string' }, code: { type: 'string' } } },
    },
    {
      type: 'referral.converted',
      title: { en: 'A referred friend placed a first order', 'zh-CN': '推荐的朋友已下首单' },
      dataSchema: { type: 'object', properties: { referred: { type: 'string' }, order: { type: 'string' } } },
    },
  ],
  routes: {
    api: { app: (ctx) => referralsApi(ctx as Ctx), openapi: referralsDocs },
    public: { paths: ['/r'], app: (ctx) => landingPages(ctx as Ctx), openapi: landingDocs },
  },
  privacy: {
    async export(customerId, ctx) {
      const db = (ctx as Ctx).db;
      const [code, referral, brought] = await Promise.all([
        codeOf(db, customerId),
        referralOf(db, customerId),
        referredBy(db, customerId, 100_000),
      ]);
      return {
        referrals: {
          code: code ? displayCode(code) : null,
          referredBy: referral?.referrer_id ?? null,
          referred: brought.map((r) => ({
            customer: r.customer_id,
            signedUpAt: r.signed_up_at,
            convertedAt: r.converted_at,
          })),
        },
      };
    },
    erase: (customerId, pseudonym, ctx) => eraseReferrals((ctx as Ctx).db, customerId, pseudonym),
  },
  async timeline(customerId, limit, ctx) {
    const brought = await referredBy((ctx as Ctx).db, customerId, limit);
    return brought.flatMap((r) => [
      ...(r.converted_at
        ? [
            {
              at: r.converted_at,
              kind: 'referrals',
              type: 'converted',
              summary: {
                en: `a friend they referred (${r.customer_id}) placed a first order`,
                'zh-CN': `其推荐的朋友（${r.customer_id}）下了首单`,
              },
              detail: { referred: r.customer_id, order: r.order_ref },
            },
          ]
        : []),
      {
        at: r.signed_up_at,
        kind: 'referrals',
        type: 'signed_up',
        summary: {
          en: `a friend they referred (${r.customer_id}) signed up`,
          'zh-CN': `其推荐的朋友（${r.customer_id}）已注册`,
        },
        detail: { referred: r.customer_id },
      },
    ]);
  },
});
