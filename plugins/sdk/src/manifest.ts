import type { JsonSchema } from './json-schema.ts';
import type { StepServices } from './services.ts';

/** What a step sees of the customer it runs for. */
export interface StepCustomer {
  id: string;
  attributes: Record<string, unknown>;
  tags: string[];
  timezone: string | null;
  email?: string | null;
  phone?: string | null;
  name?: string | null;
  locale?: string | null;
  /** The staff member who looks after this customer. */
  owner?: string | null;
  consent?: Record<string, { status: 'granted' | 'withdrawn'; source: string; at: string }>;
  stage?: string | null;
  rfm?: CustomerRfm | null;
  loyalty?: { balance: number; earned: number; tier: string } | null;
  [field: string]: unknown;
}

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

/** A customer's RFM scores and segment, ABC class and order aggregates. */
export interface CustomerRfm {
  /** Scores 1–5 (5 best) and as one string, e.g. "545". */
  r: number | null;
  f: number | null;
  m: number | null;
  score: string | null;
  /** champions, loyal, potential-loyalists, new, promising, need-attention, about-to-sleep,
   * at-risk, cant-lose, hibernating, lost. */
  segment: string | null;
  /** A, B or C by share of revenue. */
  abc: string | null;
  orders: number;
  revenue: number;
  firstOrderAt: string | null;
  lastOrderAt: string | null;
  /** Days since the last order, as of the moment the customer is looked at. */
  recencyDays: number | null;
  orders30: number;
  orders90: number;
  orders365: number;
  revenue90: number;
  revenue365: number;
}

/** The customer event that moved the run last (null before any). */
export interface StepEvent {
  type: string;
  data: Record<string, unknown>;
  occurredAt: string;
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
  /** The engine's services (outbox, customers, events, links, surveys, tasks, loyalty). */
  services: StepServices;
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
}

/** Work a plugin does on its own schedule, outside any run (reminders, say). */
export interface BackgroundJob {
  name: string;
  everySeconds: number;
  /** Runs in every engine process: make it safe to run concurrently (claim work in the store). */
  run(ctx: BackgroundContext): Promise<void>;
}

export interface BackgroundContext {
  services: StepServices;
  now: Date;
  signal: AbortSignal;
  log: StepLogger;
}

export interface PluginManifest {
  name: string;
  version: string;
  title?: string;
  description?: string;
  // biome-ignore lint/suspicious/noExplicitAny: steps have their own config types
  steps: StepDefinition<any, any>[];
  background?: BackgroundJob[];
  /** Files this plugin reads from the workflows folder (templates, surveys), for `tend push`. */
  files?: FileKind[];
}

/** A problem in a file, located like a workflow's (1-based; 0 when it has no single place). */
export interface FileIssue {
  line: number;
  column: number;
  message: string;
}

/**
 * A kind of file that lives next to the workflows and that a plugin reads: `tend push` uploads
 * such files after this check passes for every one of them.
 */
export interface FileKind {
  /** The folder under workflows/ ("templates", "surveys"). */
  folder: string;
  title: string;
  /**
   * Checks one file (`path` relative to the workflows folder). `read` returns another file of
   * the same push or already on the server, e.g. the layout a template uses.
   */
  validate(
    path: string,
    content: string,
    read: (path: string) => Promise<string | null>,
  ): Promise<FileIssue[]>;
}
