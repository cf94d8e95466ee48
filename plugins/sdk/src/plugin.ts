import type { Hono } from 'hono';
import type { EventDefinition } from './events.ts';
import type { FileKind } from './files.ts';
import type { PluginEnv } from './http.ts';
import type { BackgroundJob } from './job.ts';
import type { JsonSchema } from './json-schema.ts';
import type { PluginContext } from './plugin-context.ts';
import type { PrivacyHooks, TimelineEntry } from './privacy.ts';
import type { RouteDocs } from './route-docs.ts';
import type { HostInfo } from './services.ts';
import type { StepDefinition } from './step.ts';
import type { PluginMigration } from './store.ts';
import type { Localized } from './text.ts';

/** A plugin's HTTP routes: Hono sub-apps the host mounts (README, "Plugins"). */
/** One sub-app of a plugin's API, at `/api/<prefix>`. */
export interface PluginApi {
  prefix?: string;
  app(ctx: PluginContext): Hono<PluginEnv>;
  /** Its routes described for the API reference, paths relative to the prefix. */
  openapi?: RouteDocs;
}

/** A plugin's API sub-apps (one or several prefixes), the one or several as a list. */
export function pluginApis(routes: PluginRoutes | undefined): PluginApi[] {
  const api = routes?.api;
  return api === undefined ? [] : Array.isArray(api) ? api : [api];
}

export interface PluginRoutes {
  /**
   * Mounted at `/api/<prefix>` (the plugin's name unless given) behind sign-in: every route
   * states what it needs with `requires(permission)`. Several sub-apps take several prefixes.
   */
  api?: PluginApi | PluginApi[];
  /**
   * Reached without a key: pages customers open from messages, provider callbacks. Mounted at
   * `/`; `paths` are the path prefixes the plugin owns (`/s`, `/api/messages/callbacks`), which
   * no other plugin or engine route may take. The host limits the rate per client.
   */
  public?: {
    paths: string[];
    app(ctx: PluginContext): Hono<PluginEnv>;
    /**
     * Paths (of `paths`) where only refused requests count toward the per-client limit: signed
     * provider callbacks come in bursts from few addresses. Elsewhere every request counts.
     */
    countRefusedOnly?: string[];
    /** Its routes described for the API reference, paths as mounted (`/s/:token`). */
    openapi?: RouteDocs;
  };
}

/**
 * A small summary of the customer that the plugin keeps current (`customer.loyalty`): read in
 * conditions and templates, and shown on the profile.
 */
export interface FacetDefinition {
  name: string;
  title: Localized;
  schema: JsonSchema;
  /** What conditions see before the plugin stored anything (a condition needs the keys). */
  empty: Record<string, unknown>;
}

/**
 * One plugin (DESIGN §5): a workspace package whose default export this is. Everything the
 * plugin owns is named here; the engine knows nothing else about it.
 */
// biome-ignore lint/suspicious/noExplicitAny: settings are typed by each plugin
export interface PluginDefinition<Settings = any> {
  /** `[a-z][a-z0-9-]*`: steps are `<name>.<step>`, tables live in schema `plugin_<name>`. */
  name: string;
  version: string;
  title?: Localized;
  description?: Localized;
  // biome-ignore lint/suspicious/noExplicitAny: steps have their own config types
  steps: StepDefinition<any, any>[];
  /** The event types the plugin emits, with the shape of their data. */
  events?: EventDefinition[];
  /**
   * The plugin's settings: a JSON Schema of an object. A property may name the environment
   * variable it is read from (`"env": "SMTP_URL"`, else `TEND_<PLUGIN>_<PROPERTY>` in upper
   * snake case); the engine reads and validates them at start and hands them as `ctx.settings`.
   */
  settings?: JsonSchema;
  /** Rules about the settings that a schema cannot say; each problem stops the engine at start. */
  checkSettings?(settings: Settings, host: HostInfo): string[];
  /** Frozen migrations of the plugin's own schema, in name order. */
  migrations?: PluginMigration[];
  routes?: PluginRoutes;
  /** Work on the plugin's own schedule (reminders, deadlines). */
  background?: BackgroundJob[];
  /** Files this plugin reads from the workflows folder (templates, surveys), for `tend push`. */
  files?: FileKind[];
  facet?: FacetDefinition;
  privacy?: PrivacyHooks;
  /** The plugin's records on a customer's timeline, newest first. */
  timeline?(customerId: string, limit: number, ctx: PluginContext<Settings>): Promise<TimelineEntry[]>;
  /** Services this plugin offers other plugins, by name (`messaging`). */
  provides?: Record<string, (ctx: PluginContext<Settings>) => unknown>;
  /** Services of other plugins this one uses: the engine refuses to start without them. */
  requires?: string[];
}

/** The SDK v1 name of a plugin definition. */
export type PluginManifest = PluginDefinition;
