import type { RouteDocs } from '@tend/plugin-sdk';

/** `/api/loyalty` (API reference). */
export const loyaltyDocs: RouteDocs = {
  'GET /:customer': {
    summary: 'A customer’s points: balance, tier and the latest ledger entries',
    access: 'read',
    ownCustomers: true,
    params: { customer: { description: 'the customer’s id' } },
    responses: {
      200: {
        description: 'The account',
        schema: {
          type: 'object',
          properties: {
            customerId: { type: 'string' },
            ledger: { type: 'array', items: { type: 'object' } },
          },
          required: ['customerId', 'ledger'],
        },
      },
    },
  },
};
