import type { StepContext, StepDefinition } from '@tend/plugin-sdk';

const TAG = { type: 'string', minLength: 1, maxLength: 100, pattern: '^[^\\s,]+$' };
const tagList = (title: string, description: string) => ({
  type: 'object',
  properties: {
    tags: { type: 'array', title, description, items: TAG, minItems: 1, maxItems: 50, uniqueItems: true },
  },
  required: ['tags'],
  additionalProperties: false,
});
const tagOutput = {
  type: 'object',
  properties: {
    tags: { type: 'array', items: { type: 'string' } },
    added: { type: 'array', items: { type: 'string' } },
    removed: { type: 'array', items: { type: 'string' } },
  },
};

/** Applies a tag change and records each real change on the customer's timeline (as events). */
export async function changeTags(ctx: StepContext, add: string[], remove: string[]) {
  const change = await ctx.services.customers.tag(ctx.customer.id, add, remove);
  const source = { workflow: ctx.run.workflowId, run: ctx.run.id };
  await ctx.services.events.emit([
    ...change.added.map((tag) => ({
      id: `${ctx.idempotencyKey}:tag.added:${tag}`,
      customerId: ctx.customer.id,
      type: 'tag.added',
      data: { tag, ...source },
    })),
    ...change.removed.map((tag) => ({
      id: `${ctx.idempotencyKey}:tag.removed:${tag}`,
      customerId: ctx.customer.id,
      type: 'tag.removed',
      data: { tag, ...source },
    })),
  ]);
  return change;
}

export const addStep: StepDefinition<{ tags: string[] }> = {
  name: 'add',
  title: 'Add tags',
  description: 'Adds tags to the customer (tags they already have stay as they are).',
  awaits: [],
  configSchema: tagList('Tags', 'Tags to add, e.g. vip or win-back'),
  outputSchema: tagOutput,
  run: async (ctx) => ({ status: 'done', output: await changeTags(ctx, ctx.config.tags, []) }),
  preview: (ctx) => {
    const added = ctx.config.tags.filter((t) => !ctx.customer.tags.includes(t));
    return {
      summary: `add tags ${ctx.config.tags.join(', ')}`,
      output: { tags: [...ctx.customer.tags, ...added], added, removed: [] },
    };
  },
};

export const removeStep: StepDefinition<{ tags: string[] }> = {
  name: 'remove',
  title: 'Remove tags',
  description: 'Removes tags from the customer (missing ones are ignored).',
  awaits: [],
  configSchema: tagList('Tags', 'Tags to remove'),
  outputSchema: tagOutput,
  run: async (ctx) => ({ status: 'done', output: await changeTags(ctx, [], ctx.config.tags) }),
  preview: (ctx) => {
    const removed = ctx.customer.tags.filter((t) => ctx.config.tags.includes(t));
    return {
      summary: `remove tags ${ctx.config.tags.join(', ')}`,
      output: { tags: ctx.customer.tags.filter((t) => !removed.includes(t)), added: [], removed },
    };
  },
};

export const setAttributeStep: StepDefinition<{ name: string; value: unknown }> = {
  name: 'set-attribute',
  title: 'Set an attribute',
  description:
    'Stores a value on the customer’s profile (customer.attributes.<name>), e.g. the reason they left.',
  awaits: [],
  configSchema: {
    type: 'object',
    properties: {
      name: { type: 'string', title: 'Attribute', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', maxLength: 100 },
      value: { title: 'Value', description: 'Text, a number, true/false, a list or null (to clear it)' },
    },
    required: ['name', 'value'],
    additionalProperties: false,
  },
  outputSchema: { type: 'object', properties: { name: { type: 'string' } } },
  run: async (ctx) => {
    const { name, value } = ctx.config;
    await ctx.services.customers.setAttributes(ctx.customer.id, { [name]: value });
    await ctx.services.events.emit([
      {
        id: `${ctx.idempotencyKey}:attribute.set`,
        customerId: ctx.customer.id,
        type: 'attribute.set',
        data: { name, value, workflow: ctx.run.workflowId, run: ctx.run.id },
      },
    ]);
    return { status: 'done', output: { name, value } };
  },
  preview: (ctx) => ({
    summary: `set ${ctx.config.name} = ${JSON.stringify(ctx.config.value)}`,
    output: { name: ctx.config.name, value: ctx.config.value },
  }),
};
