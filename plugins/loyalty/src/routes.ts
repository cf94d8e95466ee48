import {
  callerOf,
  Hono,
  HttpError,
  inScope,
  type PluginContext,
  type PluginEnv,
  requires,
} from '@tend/plugin-sdk';
import { accountOf, ledgerOf } from './ledger-store.ts';
import { type LoyaltySettings, loyaltyFacet } from './settings.ts';

/** `GET /api/loyalty/:customer`: points balance, points ever earned, tier, and the latest entries. */
export function loyaltyApi(ctx: PluginContext<LoyaltySettings>) {
  return new Hono<PluginEnv>().get('/:customer', requires('read', { ownCustomers: true }), async (c) => {
    const customer = decodeURIComponent(c.req.param('customer'));
    const caller = callerOf(c);
    // A staff member sees the points of their own customers only.
    if (caller.scope && !inScope(caller, (await ctx.customers.get(customer))?.owner))
      throw new HttpError(404, 'not_found', `customer "${customer}" not found`);
    const [account, ledger] = await Promise.all([
      accountOf(ctx.db, customer),
      ledgerOf(ctx.db, customer, 100),
    ]);
    return c.json({
      customerId: customer,
      ...loyaltyFacet(ctx.settings, account),
      ledger: ledger.map((e) => ({
        key: e.key,
        points: e.points,
        status: e.status,
        balance: e.balance,
        reason: e.reason,
        workflow_id: e.workflow_id,
        at: e.at.toISOString(),
      })),
    });
  });
}
