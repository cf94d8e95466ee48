import type { StepDefinition } from '@tend/plugin-sdk';
import { type TagRule, tagChange } from './rules.ts';
import { changeTags } from './tag-steps.ts';

export const applyRulesStep: StepDefinition<{ rules: TagRule[] }> = {
  name: 'apply-rules',
  title: 'Keep tags in step',
  description:
    'Gives the customer one tag per rule that follows a value: lifecycle stage (stage:active), RFM segment (rfm:champions), loyalty tier, or a spend tier from an attribute (spend:high). Outdated tags of the rule are removed.',
  awaits: [],
  configSchema: {
    type: 'object',
    properties: {
      rules: {
        type: 'array',
        title: 'Rules',
        minItems: 1,
        items: {
          type: 'object',
          properties: {
            prefix: {
              type: 'string',
              title: 'Tag prefix',
              description: 'e.g. "stage:" gives stage:active, stage:at-risk…',
              pattern: '^[^\\s,]+$',
            },
            source: {
              type: 'string',
              title: 'Follows',
              description: 'stage, rfm.segment, loyalty.tier or attributes.<name>',
              pattern: '^(stage|rfm\\.segment|loyalty\\.tier|attributes(\\.[A-Za-z0-9_]+)+)$',
            },
            tiers: {
              type: 'array',
              title: 'Tiers (for amounts)',
              description: 'Names from the lowest, each applying from its minimum',
              items: {
                type: 'object',
                properties: { name: { type: 'string', minLength: 1 }, min: { type: 'number' } },
                required: ['name', 'min'],
                additionalProperties: false,
              },
              minItems: 1,
            },
          },
          required: ['prefix', 'source'],
          additionalProperties: false,
        },
      },
    },
    required: ['rules'],
    additionalProperties: false,
  },
  outputSchema: { type: 'object' },
  run: async (ctx) => {
    // The customer as stored now: a stage or spend that changed since the run started counts.
    const customer = (await ctx.services.customers.get(ctx.customer.id)) ?? ctx.customer;
    const { add, remove } = tagChange(customer, ctx.config.rules);
    if (add.length === 0 && remove.length === 0)
      return { status: 'done', output: { tags: customer.tags, added: [], removed: [] } };
    return { status: 'done', output: await changeTags(ctx, add, remove) };
  },
  preview: (ctx) => {
    const { add, remove } = tagChange(ctx.customer, ctx.config.rules);
    return {
      summary:
        add.length + remove.length === 0
          ? 'tags already in step'
          : `tags +${add.join(' +')} -${remove.join(' -')}`,
      output: { added: add, removed: remove },
    };
  },
};
