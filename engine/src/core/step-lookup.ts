import type { StepDefinition } from '@tend/plugin-sdk';

/** How the pure core finds a step's definition (the plugin registry is one). */
export interface StepLookup {
  // biome-ignore lint/suspicious/noExplicitAny: each step has its own config type
  get(stepId: string): { def: StepDefinition<any, any> } | undefined;
}
