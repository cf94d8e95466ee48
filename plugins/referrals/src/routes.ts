import {
  type Context,
  callerOf,
  Hono,
  HttpError,
  inScope,
  type PluginContext,
  type PluginEnv,
  requires,
} from '@tend/plugin-sdk';
import { refreshFacet } from './facet.ts';
import { shareable } from './links.ts';
import { codeOf, ensureCode, type ReferralsDatabase, referredBy } from './referral-store.ts';

type Ctx = PluginContext<unknown, ReferralsDatabase>;

/** The latest referred customers a customer's answer lists. */
const LISTED = 100;

/**
 * `GET /api/referrals/customers/:id`: the customer's code and link (null until made), how many
 * they brought and who; `POST …/code` makes their code (the same one if they have it).
 */
export function referralsApi(ctx: Ctx) {
  const customerOf = async (c: Context<PluginEnv>) => {
    const id = decodeURIComponent(c.req.param('id') ?? '');
    const customer = await ctx.customers.get(id);
    // A staff member sees their own customers only; to others the customer does not exist.
    if (!customer || !inScope(callerOf(c), customer.owner))
      throw new HttpError(404, 'not_found', `customer "${id}" not found`);
    return id;
  };
  const answer = async (id: string) => {
    const [code, facet, brought] = await Promise.all([
      codeOf(ctx.db, id),
      refreshFacet(ctx, id),
      referredBy(ctx.db, id, LISTED),
    ]);
    const names = await Promise.all(brought.map((r) => ctx.customers.get(r.customer_id)));
    return {
      customerId: id,
      ...(code ? shareable(ctx, code) : { code: null, display: null, link: null }),
      signedUp: facet.signedUp,
      converted: facet.converted,
      referredBy: facet.referredBy,
      referred: brought.map((r, i) => ({
        customerId: r.customer_id,
        name: names[i]?.name ?? null,
        signedUpAt: r.signed_up_at.toISOString(),
        convertedAt: r.converted_at?.toISOString() ?? null,
      })),
    };
  };
  return new Hono<PluginEnv>()
    .get('/customers/:id', requires('read', { ownCustomers: true }), async (c) =>
      c.json(await answer(await customerOf(c))),
    )
    .post('/customers/:id/code', requires('customers:write', { ownCustomers: true }), async (c) => {
      const id = await customerOf(c);
      await ensureCode(ctx.db, id, ctx.now());
      return c.json(await answer(id));
    });
}
