import type { StepCustomer } from './customer.ts';
import type { JsonSchema } from './json-schema.ts';
import type { PluginContext } from './plugin-context.ts';
import type { Localized } from './text.ts';

/** The run a step belongs to, with its data (for templates). */
export interface StepRun {
  id: string;
  workflowId: string;
  version: number;
  state: string;
  key: string | null;
  /** `run.vars`: values set by `core.set`. */
  vars: Record<string, unknown>;
  /** `run.steps`: outputs of earlier steps that have an id. */
  steps: Record<string, unknown>;
}

/** The customer event that moved the run last (null before any). */
export interface StepEvent {
  type: string;
  data: Record<string, unknown>;
  occurredAt: string;
}

export interface JourneyInfo {
  id: string;
  version: number;
  name: string;
  limits: {
    /** Local times of day (the customer's zone) when nothing should be sent. */
    quietHours?: { from: string; to: string };
    frequencyCap?: { messages: number; per: string };
  };
}

/** A key-value store scoped to the plugin (and shared by its steps), kept in PostgreSQL. */
export interface StepStore {
  get<T = unknown>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
}

export type StepLogger = Pick<PluginContext['log'], 'info' | 'warn' | 'error'>;

/** Everything a step gets: passed as an argument, never through `this`. */
export interface StepContext<Config = Record<string, unknown>> {
  /** The step's `with:`, templates already rendered, validated against `configSchema`. */
  config: Config;
  customer: StepCustomer;
  run: StepRun;
  event: StepEvent | null;
  /** The journey the step belongs to, with its limits (quiet hours, frequency cap). */
  journey: JourneyInfo;
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
  /** The plugin's own context: its tables, settings and the engine's services. */
  services: PluginContext;
}

/**
 * What a step answers:
 * - `done`: finished, with an output (`run.steps.<id>`);
 * - `wait`: finished only when the customer's next `event` of this type arrives (its data becomes
 *   the output), or fails with `timeout` after `timeoutMs`;
 * - `defer`: not now: run this step again at `until` (quiet hours, say); not counted as an attempt.
 */
export type StepResult<Output = Record<string, unknown>> =
  | { status: 'done'; output?: Output }
  | { status: 'wait'; event: string; timeoutMs?: number }
  | { status: 'defer'; until: Date; reason: string };

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

/** A problem with a step's `with:` found before anything runs, at `path` inside it. */
export interface ConfigIssue {
  path: (string | number)[];
  message: string;
}

/**
 * What a step's `check` may look at: the files the journey will run with (those of the same
 * push, else those Tend holds), the saved segments, and the plugin's settings.
 */
export interface CheckContext {
  /** The content of a file under the workflows folder (`templates/email/welcome.en.mjml`), or null. */
  file(path: string): Promise<string | null>;
  /** Paths of the files under a folder of the workflows folder (`templates/email`). */
  files(folder: string): Promise<string[]>;
  /** Ids of the saved segments. */
  segments(): Promise<string[]>;
  settings: Record<string, unknown>;
  host: PluginContext['host'];
}

export interface StepDefinition<Config = Record<string, unknown>, Output = Record<string, unknown>> {
  /** Local name; the step's id is `<plugin>.<name>`. */
  name: string;
  title: Localized;
  description: Localized;
  /** JSON Schema of `with:`. Titles and descriptions of its properties may carry `x-zh-CN`. */
  configSchema: JsonSchema;
  inputSchema?: JsonSchema;
  outputSchema?: JsonSchema;
  retry?: Partial<StepRetryPolicy>;
  /**
   * A pure step (no I/O, deterministic) may run inline, inside the run's own transition, instead
   * of as a job. Only for steps whose whole effect is their output.
   */
  inline?: boolean;
  /**
   * The event types this step may answer `{status: 'wait'}` for; `[]` for a step that never
   * waits. While such a step runs, the engine keeps only the events its journey waits for in the
   * run's inbox and records the others as ignored at once. Undeclared: the step may wait for any
   * event, so every event that arrives while it runs is kept.
   */
  awaits?: string[];
  run(ctx: StepContext<Config>): Promise<StepResult<Output>> | StepResult<Output>;
  /** Must be pure: journey tests and the editor call it with no services at hand. */
  preview?(ctx: Omit<StepContext<Config>, 'store' | 'signal' | 'services'>): StepPreview;
  /**
   * Checks what `with:` names beyond its schema (a template that must exist, a survey, a
   * segment), when a journey is validated, before anything runs. Values that are templates
   * (`{{ … }}`) are only known at run time: leave them be.
   */
  check?(config: Config, ctx: CheckContext): Promise<ConfigIssue[]>;
}
