import { definePlugin, type PluginDefinition } from '@tend/plugin-sdk';

/** The engine's one built-in step: `core.set` writes values into `run.vars`. */
export const corePlugin: PluginDefinition = definePlugin({
  name: 'core',
  version: '1.0.0',
  title: 'Core',
  description: 'Steps built into the engine.',
  steps: [
    {
      name: 'set',
      title: 'Set variables',
      description:
        'Stores values in the run (run.vars) for later conditions and templates. Strings may use Liquid, e.g. "{{ event.data.cartId }}".',
      configSchema: {
        type: 'object',
        properties: {
          values: {
            type: 'object',
            title: 'Values',
            description: 'Names and values to store in run.vars',
            minProperties: 1,
          },
        },
        required: ['values'],
        additionalProperties: false,
      },
      outputSchema: { type: 'object' },
      inline: true,
      run: (ctx) => ({ status: 'done', output: { ...(ctx.config.values as Record<string, unknown>) } }),
      preview: (ctx) => ({
        summary: `set ${Object.keys(ctx.config.values as object).join(', ')}`,
        output: { ...(ctx.config.values as Record<string, unknown>) },
      }),
    },
  ],
});
