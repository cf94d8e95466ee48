import type { PluginContext, PluginDefinition, TimelineEntry } from '@tend/plugin-sdk';
import { type Config, ConfigError } from '../config.ts';
import type { Logger } from '../logger.ts';
import { pluginSettings } from '../plugin-settings.ts';
import type { Db } from '../store/db.ts';
import type { EncryptedTable } from '../store/encrypted-fields.ts';
import { applyPluginMigrations, pluginSchema } from '../store/plugin-migrations.ts';
import type { EngineServices } from './engine-services.ts';
import type { PluginRegistry } from './registry.ts';

export interface PluginHostDeps {
  db: Db;
  config: Config;
  registry: PluginRegistry;
  services: EngineServices;
  /** Base of links customers follow: TEND_PUBLIC_URL, else where the server listens (known late). */
  publicUrl: () => string;
  now: () => Date;
  log: Logger;
}

/**
 * The installed plugins at run time: each one's context (its settings, its schema's tables, the
 * engine's services), the services plugins provide each other, and the parts of the engine's
 * work that plugins take part in (erasure, export, timelines, key rotation).
 */
export class PluginHost {
  readonly registry: PluginRegistry;
  readonly #contexts = new Map<string, PluginContext>();
  readonly #provided = new Map<string, unknown>();
  readonly #deps: PluginHostDeps;

  constructor(deps: PluginHostDeps) {
    this.#deps = deps;
    this.registry = deps.registry;
    for (const plugin of deps.registry.plugins()) {
      const ctx = this.#contextOf(plugin, deps.db);
      const problems = plugin.checkSettings?.(ctx.settings, ctx.host) ?? [];
      if (problems.length > 0) {
        throw new ConfigError(`settings of the ${plugin.name} plugin:\n  ${problems.join('\n  ')}`);
      }
      this.#contexts.set(plugin.name, ctx);
    }
    // Made once every context exists: a provider may `use` another plugin's service lazily.
    for (const plugin of deps.registry.plugins()) {
      for (const [name, make] of Object.entries(plugin.provides ?? {})) {
        this.#provided.set(name, make(this.context(plugin.name)));
      }
    }
  }

  /** Signed links (survey pages, unsubscribe): the rate limit gives a valid one its own bucket. */
  get links() {
    return this.#deps.services.links;
  }

  /** Applies every plugin's migrations not applied yet (in installation order). */
  async migrate(): Promise<string[]> {
    const applied: string[] = [];
    for (const plugin of this.registry.plugins()) {
      const names = await applyPluginMigrations(
        this.#deps.db,
        plugin.name,
        plugin.migrations ?? [],
        this.#deps.now,
      );
      applied.push(...names.map((n) => `${plugin.name}/${n}`));
    }
    return applied;
  }

  /** The context of an installed plugin. */
  context(plugin: string): PluginContext {
    const ctx = this.#contexts.get(plugin);
    if (!ctx) throw new Error(`no plugin "${plugin}" is installed`);
    return ctx;
  }

  /** What each plugin with erasure rules scrubs of a person, inside the erasure's transaction. */
  async erase(trx: Db, from: string, to: string): Promise<void> {
    for (const plugin of this.registry.plugins()) {
      if (!plugin.privacy?.erase) continue;
      await plugin.privacy.erase(from, to, this.#contextOf(plugin, trx));
    }
  }

  /** What every plugin keeps about a person, by kind, for their export. */
  async export(customerId: string): Promise<Record<string, unknown>> {
    const parts = await Promise.all(
      this.registry
        .plugins()
        .map((p) => (p.privacy?.export ? p.privacy.export(customerId, this.context(p.name)) : {})),
    );
    return Object.assign({}, ...parts);
  }

  /** Plugins' entries on a customer's timeline, newest first. */
  async timeline(customerId: string, limit: number): Promise<TimelineEntry[]> {
    const parts = await Promise.all(
      this.registry
        .plugins()
        .map((p) => (p.timeline ? p.timeline(customerId, limit, this.context(p.name)) : [])),
    );
    return parts
      .flat()
      .sort((a, b) => b.at.getTime() - a.at.getTime())
      .slice(0, limit);
  }

  /** Plugins' tables with encrypted columns, schema-qualified, for key rotation. */
  encryptedTables(): EncryptedTable[] {
    return encryptedTablesOf(this.registry.plugins());
  }

  #contextOf(plugin: PluginDefinition, db: Db): PluginContext {
    const { config, services, log } = this.#deps;
    const existing = this.#contexts.get(plugin.name);
    const facet = plugin.facet?.name;
    return {
      plugin: plugin.name,
      settings: existing?.settings ?? pluginSettings(config, plugin.name, plugin.settings),
      host: {
        publicUrl: this.#deps.publicUrl,
        workflowsDir: config.workflowsDir,
        defaultTimezone: config.defaultTimezone,
        defaultLocale: config.defaultLocale,
        outboundAllow: config.outboundAllow,
        services: this.registry.services(),
      },
      db: db.withSchema(pluginSchema(plugin.name)),
      customers: {
        ...services.customers,
        async setFacet(id, value) {
          if (!facet) throw new Error(`plugin "${plugin.name}" declares no facet`);
          await services.customers.setFacet(id, facet, value);
        },
      },
      people: services.people,
      events: services.events,
      outbox: services.outbox,
      links: services.links,
      crypto: services.crypto,
      now: this.#deps.now,
      log: existing?.log ?? log.child(plugin.name),
      use: <T>(service: string): T => {
        if (!this.#provided.has(service)) {
          throw new Error(`plugin "${plugin.name}" uses the service "${service}", which no plugin provides`);
        }
        return this.#provided.get(service) as T;
      },
    };
  }
}

/** The encrypted columns plugins declare, with their tables qualified by the plugins' schemas. */
export function encryptedTablesOf(plugins: readonly PluginDefinition[]): EncryptedTable[] {
  return plugins.flatMap((p) =>
    (p.privacy?.encrypted ?? []).map((t) => ({ ...t, table: `${pluginSchema(p.name)}.${t.table}` })),
  );
}
