import { definePlugin, ERASED_TEXT, type PluginContext } from '@tend/plugin-sdk';
import { accountOf, eraseEntries, ledgerOf, MIGRATIONS } from './ledger-store.ts';
import { loyaltyDocs } from './route-docs.ts';
import { loyaltyApi } from './routes.ts';
import { type LoyaltySettings, loyaltyFacet, settingsSchema } from './settings.ts';
import { award, redeem } from './steps.ts';
import { parseTiers } from './tiers.ts';

/** Loyalty points with a ledger; the balance and tier are customer.loyalty in conditions. */
export default definePlugin<LoyaltySettings>({
  name: 'loyalty',
  version: '2.0.0',
  title: { en: 'Loyalty points', 'zh-CN': '会员积分' },
  description: {
    en: 'Award and redeem points; balances never go negative; tiers by points earned (customer.loyalty).',
    'zh-CN': '奖励和兑换积分；余额永不为负；按累计积分划分等级（customer.loyalty）。',
  },
  steps: [award, redeem],
  settings: settingsSchema,
  checkSettings: (settings) => parseTiers(settings.tiers).problems,
  migrations: MIGRATIONS,
  facet: {
    name: 'loyalty',
    title: { en: 'Points', 'zh-CN': '积分' },
    schema: {
      type: 'object',
      properties: {
        balance: { type: 'integer' },
        earned: { type: 'integer' },
        tier: { type: ['string', 'null'] },
      },
    },
    empty: { balance: 0, earned: 0, tier: null },
  },
  events: [
    {
      type: 'loyalty.tier_changed',
      title: { en: 'Loyalty tier changed', 'zh-CN': '会员等级变化' },
      dataSchema: {
        type: 'object',
        properties: { from: { type: 'string' }, to: { type: 'string' }, balance: { type: 'integer' } },
      },
    },
  ],
  routes: { api: { app: loyaltyApi, openapi: loyaltyDocs } },
  privacy: {
    async export(customerId, ctx: PluginContext<LoyaltySettings>) {
      const [account, ledger] = await Promise.all([
        accountOf(ctx.db, customerId),
        ledgerOf(ctx.db, customerId, 100_000),
      ]);
      return {
        loyalty: {
          ...loyaltyFacet(ctx.settings, account),
          ledger: ledger.reverse().map((e) => ({
            key: e.key,
            points: e.points,
            status: e.status,
            balance: e.balance,
            reason: e.reason,
            workflow: e.workflow_id,
            run: e.run_id,
            at: e.at,
          })),
        },
      };
    },
    erase: (from, to, ctx) => eraseEntries(ctx.db, from, to, ERASED_TEXT),
  },
  async timeline(customerId, limit, ctx) {
    return (await ledgerOf(ctx.db, customerId, limit)).map((e) => ({
      at: e.at,
      kind: 'loyalty',
      type: e.points < 0 ? 'redeem' : 'award',
      summary: {
        en: `${e.points < 0 ? 'redeemed' : 'awarded'} ${Math.abs(e.points)} points: ${e.reason}`,
        'zh-CN': `${e.points < 0 ? '兑换' : '获得'} ${Math.abs(e.points)} 积分：${e.reason}`,
      },
      detail: {
        points: e.points,
        balance: e.balance,
        reason: e.reason,
        status: e.status,
        workflow: e.workflow_id,
        run: e.run_id,
      },
    }));
  },
});
