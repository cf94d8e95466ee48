import type { JsonSchema } from '@tend/plugin-sdk';
import type { Account } from './ledger-store.ts';
import { parseTiers, tierOf } from './tiers.ts';

export interface LoyaltySettings {
  tiers: string;
}

export const settingsSchema: JsonSchema = {
  type: 'object',
  properties: {
    tiers: {
      type: 'string',
      env: 'TEND_LOYALTY_TIERS',
      title: 'Tiers',
      description: 'Tier names and the points ever earned from which each applies, lowest first',
      default: 'member:0,silver:1000,gold:5000,platinum:20000',
    },
  },
  additionalProperties: false,
};

/** What journeys read as `customer.loyalty`: balance, points ever earned, tier. */
export function loyaltyFacet(settings: LoyaltySettings, account: Account) {
  return {
    balance: account.balance,
    earned: account.earned,
    tier: tierOf(parseTiers(settings.tiers).tiers, account.earned),
  };
}
