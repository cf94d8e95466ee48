import type { PluginMigration } from '@tend/plugin-sdk';
import { type Kysely, sql } from 'kysely';
import type { Db } from './db.ts';

/** The PostgreSQL schema that holds a plugin's tables. */
export const pluginSchema = (plugin: string): string => `plugin_${plugin.replace(/-/g, '_')}`;

/**
 * Brings a plugin's schema up to date: each migration not applied yet runs in a transaction of
 * its own, with the plugin's schema as the search path (its unqualified names land there), and
 * is recorded in `<schema>.tend_migrations` in that same transaction. An advisory lock per
 * schema lets several processes start at once. Returns the names applied.
 */
export async function applyPluginMigrations(
  db: Db,
  plugin: string,
  migrations: readonly PluginMigration[],
  now: () => Date,
): Promise<string[]> {
  if (migrations.length === 0) return [];
  const schema = pluginSchema(plugin);
  const applied: string[] = [];
  for (const migration of migrations) {
    const done = await db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`tend-migrations:${schema}`}))`.execute(trx);
      await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(schema)}`.execute(trx);
      await sql`CREATE TABLE IF NOT EXISTS ${sql.id(schema, 'tend_migrations')} (
        name text PRIMARY KEY, applied_at timestamptz NOT NULL)`.execute(trx);
      const seen =
        await sql`SELECT 1 FROM ${sql.id(schema, 'tend_migrations')} WHERE name = ${migration.name}`.execute(
          trx,
        );
      if (seen.rows.length > 0) return false;
      await sql`SET LOCAL search_path TO ${sql.id(schema)}`.execute(trx);
      await migration.up(trx as unknown as Kysely<unknown>);
      await sql`INSERT INTO ${sql.id(schema, 'tend_migrations')} (name, applied_at)
        VALUES (${migration.name}, ${now()})`.execute(trx);
      return true;
    });
    if (done) applied.push(migration.name);
  }
  return applied;
}
