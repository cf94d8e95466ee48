import type { JsonSchema } from '@tend/plugin-sdk';

export interface ReferralsSettings {
  landingUrl?: string;
}

export const settingsSchema: JsonSchema = {
  type: 'object',
  properties: {
    landingUrl: {
      type: 'string',
      env: 'TEND_REFERRAL_LANDING_URL',
      pattern: '^https?://',
      title: 'Sign-up page for referred friends',
      description:
        'A referral link leads here with ?ref=<code> (pass it on as data.referralCode of customer.signed_up); unset: a page showing the code',
    },
  },
};
