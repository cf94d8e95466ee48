import { definePlugin, type StepContext, type StepDefinition, StepError } from '@tend/plugin-sdk';

interface PointsConfig {
  points: number | string;
  reason: string;
}

const configSchema = (verb: string) => ({
  type: 'object',
  properties: {
    points: {
      title: 'Points',
      description: `How many points to ${verb}: a number, or a template such as "{{ event.data.amount }}"`,
      anyOf: [
        { type: 'integer', minimum: 1, maximum: 1_000_000 },
        { type: 'string', pattern: '^\\s*\\d+\\s*$|\\{\\{' },
      ],
    },
    reason: {
      type: 'string',
      title: 'Reason',
      description: 'Shown in the points history',
      minLength: 1,
      maxLength: 200,
    },
  },
  required: ['points', 'reason'],
  additionalProperties: false,
});

const outputSchema = {
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
  const points = pointsOf(ctx.config);
  const before = await ctx.services.loyalty.account(ctx.customer.id);
  const r = await ctx.services.loyalty.apply(
    {
      key: ctx.idempotencyKey,
      customerId: ctx.customer.id,
      points: sign * points,
      reason: ctx.config.reason,
      workflowId: ctx.run.workflowId,
      runId: ctx.run.id,
    },
    ctx.now,
  );
  // A new tier is news a journey may act on (a thank-you, a perk): it becomes an event.
  if (!r.repeated && r.account.tier !== before.tier) {
    await ctx.services.events.emit([
      {
        id: `${ctx.idempotencyKey}:loyalty.tier_changed`,
        customerId: ctx.customer.id,
        type: 'loyalty.tier_changed',
        data: { from: before.tier, to: r.account.tier, balance: r.account.balance },
      },
    ]);
  }
  return { status: 'done' as const, output: { status: r.status, points, ...r.account } };
}

const award: StepDefinition<PointsConfig> = {
  name: 'award',
  title: 'Award points',
  description:
    'Adds loyalty points (once per step, however often it is retried). Tiers follow points ever earned.',
  awaits: [],
  configSchema: configSchema('award'),
  outputSchema,
  run: (ctx) => apply(ctx, 1),
  preview: (ctx) => {
    const balance = (ctx.customer.loyalty?.balance ?? 0) + (Number(ctx.config.points) || 0);
    return {
      summary: `award ${ctx.config.points} points (${ctx.config.reason})`,
      output: {
        status: 'applied',
        points: Number(ctx.config.points) || 0,
        balance,
        tier: ctx.customer.loyalty?.tier ?? '',
      },
    };
  },
};

const redeem: StepDefinition<PointsConfig> = {
  name: 'redeem',
  title: 'Redeem points',
  description:
    'Takes points off the balance. If the balance is too small nothing changes and the output says "declined", so the journey can branch on it.',
  awaits: [],
  configSchema: configSchema('redeem'),
  outputSchema,
  run: (ctx) => apply(ctx, -1),
  preview: (ctx) => {
    const have = ctx.customer.loyalty?.balance ?? 0;
    const want = Number(ctx.config.points) || 0;
    const ok = have >= want;
    return {
      summary: `redeem ${want} points (${ctx.config.reason})${ok ? '' : ': declined, balance too small'}`,
      output: {
        status: ok ? 'applied' : 'declined',
        points: want,
        balance: ok ? have - want : have,
        tier: ctx.customer.loyalty?.tier ?? '',
      },
    };
  },
};

/** Loyalty points with a ledger; the balance and tier are customer.loyalty in conditions. */
export default definePlugin({
  name: 'loyalty',
  version: '1.0.0',
  title: 'Loyalty points',
  description:
    'Award and redeem points; balances never go negative; tiers by points earned (customer.loyalty).',
  steps: [award, redeem],
});
