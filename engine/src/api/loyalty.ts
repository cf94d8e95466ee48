import { Hono } from 'hono';
import type { AppEnv } from '../server/services.ts';
import { ledgerOf } from '../store/loyalty-ledger.ts';
import { requires } from './auth.ts';

/** A customer's points: balance, points ever earned, tier, and the latest ledger entries. */
export const loyaltyApi = new Hono<AppEnv>().get('/:customer', requires('read'), async (c) => {
  const customer = decodeURIComponent(c.req.param('customer'));
  const { db, steps } = c.var.services;
  const [account, ledger] = await Promise.all([steps.loyalty.account(customer), ledgerOf(db, customer, 100)]);
  return c.json({
    customerId: customer,
    ...account,
    ledger: ledger.map((e) => ({ ...e, at: e.at.toISOString() })),
  });
});
