import type { FacetDefinition, PluginContext } from '@tend/plugin-sdk';
import { codeOf, countsOf, type ReferralsDatabase, referralOf } from './referral-store.ts';

/** `customer.referrals` in conditions, segments and templates. */
export interface ReferralsFacet {
  /** Their own code (`XXXXXXXX`), null until one is made. */
  code: string | null;
  /** Customers who signed up with their code, and of those, placed a first order. */
  signedUp: number;
  converted: number;
  /** Who brought this customer (a customer id), null when nobody did. */
  referredBy: string | null;
}

export const referralsFacet: FacetDefinition = {
  name: 'referrals',
  title: { en: 'Referrals', 'zh-CN': '推荐' },
  schema: {
    type: 'object',
    properties: {
      code: { type: ['string', 'null'] },
      signedUp: { type: 'integer' },
      converted: { type: 'integer' },
      referredBy: { type: ['string', 'null'] },
    },
  },
  empty: { code: null, signedUp: 0, converted: 0, referredBy: null },
};

/** Reads the customer's referral figures from the tables and stores them as their facet. */
export async function refreshFacet(
  ctx: PluginContext<unknown, ReferralsDatabase>,
  customerId: string,
): Promise<ReferralsFacet> {
  const [code, counts, referral] = await Promise.all([
    codeOf(ctx.db, customerId),
    countsOf(ctx.db, customerId),
    referralOf(ctx.db, customerId),
  ]);
  const facet = { code, ...counts, referredBy: referral?.referrer_id ?? null };
  await ctx.customers.setFacet(customerId, { ...facet });
  return facet;
}
