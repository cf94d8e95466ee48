import type {
  CryptoService,
  CustomerService,
  EventService,
  HostInfo,
  LinkService,
  Logger,
  OutboxService,
  PeopleService,
} from './services.ts';
import type { PluginDb } from './store.ts';

/**
 * What the engine hands a plugin, and nothing more: its own tables, its settings, the services
 * over the engine's data, the clock and a logger. Steps get it as `ctx.services`, routes and
 * background jobs as their context. It never holds the engine's tables, runtime or queue.
 */
// biome-ignore lint/suspicious/noExplicitAny: settings and tables are typed by each plugin
export interface PluginContext<Settings = any, Database = any> {
  /** The plugin's name. */
  plugin: string;
  /** The plugin's settings, validated against its schema at start. */
  settings: Settings;
  host: HostInfo;
  /** The plugin's tables (its own PostgreSQL schema). */
  db: PluginDb<Database>;
  customers: CustomerService;
  people: PeopleService;
  events: EventService;
  outbox: OutboxService;
  links: LinkService;
  crypto: CryptoService;
  /** The engine's clock: every decision and record by time goes through it. */
  now(): Date;
  log: Logger;
  /**
   * A service another installed plugin provides (`provides` in its definition), e.g.
   * `use<MessagingService>('messaging')`. Throws when none does: name it in `requires`.
   */
  use<T>(service: string): T;
}
