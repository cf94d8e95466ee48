import type { PluginContext } from './plugin-context.ts';

/** Work a plugin does on its own schedule, outside any run (reminders, deadlines). */
export interface BackgroundJob {
  name: string;
  everySeconds: number;
  /** Runs in every engine process: make it safe to run concurrently (claim work in the store). */
  run(ctx: BackgroundContext): Promise<void>;
}

export interface BackgroundContext {
  services: PluginContext;
  now: Date;
  signal: AbortSignal;
  log: PluginContext['log'];
}
