import {
  type JsonSchema,
  type PluginContext,
  type StepContext,
  type StepDefinition,
  StepError,
} from '@tend/plugin-sdk';
import { applyEntry } from './ledger-store.ts';
import { type LoyaltySettings, loyaltyFacet } from './settings.ts';

interface PointsConfig {
  points: number | string;
  reason: string;
}

const configSchema = (verb: 'award' | 'redeem'): JsonSchema => ({
  type: 'object',
  properties: {
    points: {
      title: 'Points',
      description:
        verb === 'award'
          ? 'How many points to award: a number, or a template such as "{{ event.data.amount }}"'
          : 'How many points to redeem: a number, or a template such as "{{ event.data.amount }}"',
      'x-zh-CN': {
        title: '积分',
        description:
          verb === 'award'
            ? '奖励多少积分：一个数字，或模板，如 "{{ event.data.amount }}"'
            : '扣减多少积分：一个数字，或模板，如 "{{ event.data.amount }}"',
      },
      anyOf: [
        { type: 'integer', minimum: 1, maximum: 1_000_000 },
        { type: 'string', pattern: '^\\s*\\d+\\s*$|\\{\\{' },
      ],
    },
    reason: {
      type: 'string',
      title: 'Reason',
      description: 'Shown in the points history',
      'x-zh-CN': { title: '原因', description: '显示在积分记录中' },
      minLength: 1,
      maxLength: 200,
    },
  },
  required: ['points', 'reason'],
  additionalProperties: false,
});

const outputSchema: JsonSchema = {
  type: 'object',
  properties: {
    status: { enum: ['applied', 'declined'] },
    points: { type: 'integer' },
    balance: { type: 'integer' },
    earned: { type: 'integer' },
    tier: { type: 'string' },
  },
  required: ['status', 'balance', 'tier'],
};

/** Points from the config (templates render to text). */
function pointsOf(config: PointsConfig): number {
  const n = typeof config.points === 'number' ? config.points : Number(String(config.points).trim());
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000) {
    throw new StepError(
      'invalid_points',
      `points must be a whole number from 1 to 1000000, got "${config.points}"`,
      {
        kind: 'user',
        retryable: false,
      },
    );
  }
  return n;
}

async function apply(ctx: StepContext<PointsConfig>, sign: 1 | -1) {
  const services = ctx.services as PluginContext<LoyaltySettings>;
  const points = pointsOf(ctx.config);
  const r = await applyEntry(services.db, {
    key: ctx.idempotencyKey,
    customer_id: ctx.customer.id,
    points: sign * points,
    reason: ctx.config.reason,
    workflow_id: ctx.run.workflowId,
    run_id: ctx.run.id,
    at: ctx.now,
  });
  const before = loyaltyFacet(services.settings, r.before).tier;
  const account = loyaltyFacet(services.settings, r.account);
  // Also on a repeat: a crash after the entry but before the facet leaves it to the retry.
  await services.customers.setFacet(ctx.customer.id, account);
  // A new tier is news a journey may act on (a thank-you, a perk): it becomes an event.
  if (!r.repeated && account.tier !== before) {
    await services.events.emit([
      {
        id: `${ctx.idempotencyKey}:loyalty.tier_changed`,
        customerId: ctx.customer.id,
        type: 'loyalty.tier_changed',
        data: { from: before, to: account.tier, balance: account.balance },
      },
    ]);
  }
  return { status: 'done' as const, output: { status: r.status, points, ...account } };
}

type Loyalty = { balance?: number; tier?: string | null } | undefined;

export const award: StepDefinition<PointsConfig> = {
  name: 'award',
  title: { en: 'Award points', 'zh-CN': '奖励积分' },
  description: {
    en: 'Adds loyalty points (once per step, however often it is retried). Tiers follow points ever earned.',
    'zh-CN': '增加会员积分（每个步骤只加一次，无论重试多少次）。等级按累计获得的积分计算。',
  },
  awaits: [],
  configSchema: configSchema('award'),
  outputSchema,
  run: (ctx) => apply(ctx, 1),
  preview: (ctx) => {
    const loyalty = ctx.customer.loyalty as Loyalty;
    const balance = (loyalty?.balance ?? 0) + (Number(ctx.config.points) || 0);
    return {
      summary: `award ${ctx.config.points} points (${ctx.config.reason})`,
      output: {
        status: 'applied',
        points: Number(ctx.config.points) || 0,
        balance,
        tier: loyalty?.tier ?? '',
      },
    };
  },
};

export const redeem: StepDefinition<PointsConfig> = {
  name: 'redeem',
  title: { en: 'Redeem points', 'zh-CN': '兑换积分' },
  description: {
    en: 'Takes points off the balance. If the balance is too small nothing changes and the output says "declined", so the journey can branch on it.',
    'zh-CN': '从余额中扣除积分。余额不足时不做任何改变，输出为 "declined"，旅程可据此分支。',
  },
  awaits: [],
  configSchema: configSchema('redeem'),
  outputSchema,
  run: (ctx) => apply(ctx, -1),
  preview: (ctx) => {
    const loyalty = ctx.customer.loyalty as Loyalty;
    const have = loyalty?.balance ?? 0;
    const want = Number(ctx.config.points) || 0;
    const ok = have >= want;
    return {
      summary: `redeem ${want} points (${ctx.config.reason})${ok ? '' : ': declined, balance too small'}`,
      output: {
        status: ok ? 'applied' : 'declined',
        points: want,
        balance: ok ? have - want : have,
        tier: loyalty?.tier ?? '',
      },
    };
  },
};
