import { definePlugin } from '@tend/plugin-sdk';

/** Steps for the benchmark: no work of their own, so the numbers measure the engine. */
export default definePlugin({
  name: 'bench',
  version: '1.0.0',
  steps: [
    {
      name: 'noop',
      title: 'No-op',
      description: 'Completes at once.',
      awaits: [],
      configSchema: { type: 'object' },
      run: () => ({ status: 'done', output: {} }),
    },
    {
      name: 'mark',
      title: 'Mark the time',
      description: "Completes with the engine's time it ran at (for latency).",
      awaits: [],
      configSchema: { type: 'object' },
      run: (ctx) => ({ status: 'done', output: { at: ctx.services.now().getTime() } }),
    },
  ],
});
