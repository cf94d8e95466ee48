import type { JsonSchema } from './json-schema.ts';

/** What a step sees of the customer it runs for. */
export interface StepCustomer {
  id: string;
  attributes: Record<string, unknown>;
  tags: string[];
  timezone: string | null;
  [field: string]: unknown;
}

export interface StepLogger {
  info(message: string, detail?: Record<string, unknown>): void;
  warn(message: string, detail?: Record<string, unknown>): void;
  error(message: string, detail?: Record<string, unknown>): void;
}

/** A key-value store scoped to the plugin (and shared by its steps), kept in PostgreSQL. */
export interface StepStore {
  get<T = unknown>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Everything a step gets: passed as an argument, never through `this`. */
export interface StepContext<Config = Record<string, unknown>> {
  /** The step's `with:`, templates already rendered, validated against `configSchema`. */
  config: Config;
  customer: StepCustomer;
  run: { id: string; workflowId: string; version: number; state: string; key: string | null };
  step: { id: string | null; uses: string; index: number };
  /** 1 on the first try. */
  attempt: number;
  /**
   * Unique per run + state entry + step. The same key on every retry of this occurrence: pass it to
   * providers that deduplicate, and use it to deduplicate your own side effects.
   */
  idempotencyKey: string;
  /** Aborted when the step's time budget runs out or the engine shuts down. */
  signal: AbortSignal;
  /** The engine's notion of now (virtual in journey tests). */
  now: Date;
  store: StepStore;
  log: StepLogger;
}

export type StepResult<Output = Record<string, unknown>> =
  | { status: 'done'; output?: Output }
  | { status: 'wait'; event: string; timeoutMs?: number };

/** Retries of transient failures: `attempts` in all, exponential backoff from `backoffSeconds`. */
export interface StepRetryPolicy {
  attempts: number;
  backoffSeconds: number;
  timeoutSeconds: number;
}

/** What a step would do, without doing it: shown by journey tests and the editor's preview. */
export interface StepPreview {
  summary: string;
  output?: Record<string, unknown>;
}

export interface StepDefinition<Config = Record<string, unknown>, Output = Record<string, unknown>> {
  /** Local name; the step's id is `<plugin>.<name>`. */
  name: string;
  title: string;
  description: string;
  configSchema: JsonSchema;
  inputSchema?: JsonSchema;
  outputSchema?: JsonSchema;
  retry?: Partial<StepRetryPolicy>;
  /**
   * A pure step (no I/O, deterministic) may run inline, inside the run's own transition, instead
   * of as a job. Only for steps whose whole effect is their output.
   */
  inline?: boolean;
  run(ctx: StepContext<Config>): Promise<StepResult<Output>> | StepResult<Output>;
  preview?(ctx: Omit<StepContext<Config>, 'store' | 'signal'>): StepPreview;
}

export interface PluginManifest {
  name: string;
  version: string;
  title?: string;
  description?: string;
  // biome-ignore lint/suspicious/noExplicitAny: steps have their own config types
  steps: StepDefinition<any, any>[];
}
