import type { JsonSchema, RouteDocs } from '@tend/plugin-sdk';

const referrals: JsonSchema = {
  type: 'object',
  properties: {
    customerId: { type: 'string' },
    code: { type: ['string', 'null'], description: 'null until one is made' },
    display: { type: ['string', 'null'], description: 'the code as people read it: AB12-CD34' },
    link: { type: ['string', 'null'] },
    signedUp: { type: 'integer' },
    converted: { type: 'integer' },
    referredBy: { type: ['string', 'null'] },
    referred: { type: 'array', items: { type: 'object' } },
  },
  required: ['customerId', 'code', 'display', 'link', 'signedUp', 'converted', 'referredBy', 'referred'],
};
const customer = { id: { description: 'the customer’s id' } };

/** `/api/referrals` (API reference). */
export const referralsDocs: RouteDocs = {
  'GET /customers/:id': {
    summary: 'A customer’s referral code and link, the friends they brought, who brought them',
    access: 'read',
    ownCustomers: true,
    params: customer,
    responses: { 200: { description: 'Their referrals', schema: referrals } },
  },
  'POST /customers/:id/code': {
    summary: 'Make the customer’s referral code (the same one when they have it)',
    access: 'customers:write',
    ownCustomers: true,
    params: customer,
    responses: { 200: { description: 'Their referrals, with the code', schema: referrals } },
  },
};

/** `/r` (API reference). */
export const landingDocs: RouteDocs = {
  'GET /r/:code': {
    summary: 'A referral link: to the sign-up page with ?ref=<code>, or a page showing the code',
    access: 'public',
    params: { code: { description: 'the code, in any case, with or without its dash' } },
    responses: {
      200: { description: 'The code to sign up with (no landing page set)', contentType: 'text/html' },
      302: { description: 'To TEND_REFERRAL_LANDING_URL with ?ref=<code>' },
      404: { description: 'No such code', contentType: 'text/html' },
    },
  },
};
