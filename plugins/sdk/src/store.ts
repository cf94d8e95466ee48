import type { Kysely } from 'kysely';

export type {
  ColumnType,
  Generated,
  Insertable,
  JSONColumnType,
  Kysely,
  Selectable,
  Transaction,
  Updateable,
} from 'kysely';
export { sql } from 'kysely';

/**
 * A plugin's own tables, through Kysely: the handle's unqualified table names resolve in the
 * plugin's PostgreSQL schema (`plugin_<name>`), which its migrations create. It never sees the
 * engine's tables; what it needs of customers and events comes through the services.
 */
// biome-ignore lint/suspicious/noExplicitAny: a plugin names its own tables
export type PluginDb<Database = any> = Kysely<Database>;

/**
 * One frozen schema change of a plugin, applied once, in name order, by the engine at start
 * (`YYYY-MM-DD-NN-what`). Runs in a transaction whose search_path is the plugin's schema, so
 * plain `CREATE TABLE links (…)` lands there. Never edit a landed migration: add another.
 */
export interface PluginMigration {
  name: string;
  up(db: Kysely<unknown>): Promise<void>;
}
