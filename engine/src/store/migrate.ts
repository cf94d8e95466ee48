import type { Kysely } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';
import * as engineCore from './migrations/2026-11-23-01-engine-core.ts';
import * as customerData from './migrations/2026-11-23-02-customer-data.ts';
import * as plugins from './migrations/2026-11-23-03-plugins.ts';
import * as operations from './migrations/2026-11-23-05-operations.ts';
import * as privacy from './migrations/2026-11-23-06-privacy.ts';
import * as editor from './migrations/2026-11-23-07-editor.ts';
import * as runWrites from './migrations/2026-11-23-08-run-writes.ts';
import * as runsFillfactor from './migrations/2026-11-24-09-runs-fillfactor.ts';
import * as oneClock from './migrations/2026-12-05-10-one-clock.ts';
import * as pluginFacets from './migrations/2026-12-05-11-plugin-facets.ts';
import * as rfmCutSize from './migrations/2026-12-05-12-rfm-cut-size.ts';
import * as customerListFilters from './migrations/2026-12-06-13-customer-list-filters.ts';
import * as userTeams from './migrations/2026-12-07-14-user-teams.ts';
import * as customerSearch from './migrations/2026-12-08-15-customer-search.ts';
import * as dashboardCounts from './migrations/2026-12-08-16-dashboard-counts.ts';
import * as bulkActions from './migrations/2026-12-08-17-bulk-actions.ts';
import * as bulkExports from './migrations/2026-12-08-18-bulk-exports.ts';
import * as eventKeys from './migrations/2026-12-09-19-event-keys.ts';
import * as runKeys from './migrations/2026-12-09-20-run-keys.ts';
import * as customerPredictions from './migrations/2026-12-09-25-customer-predictions.ts';
import * as experiments from './migrations/2026-12-10-26-experiments.ts';
import * as eventsByMonth from './migrations/2026-12-11-27-events-by-month.ts';
import * as runHistoryByMonth from './migrations/2026-12-12-28-run-history-by-month.ts';
import * as metricsWindows from './migrations/2026-12-13-29-metrics-windows.ts';
import * as noJit from './migrations/2026-12-14-30-no-jit.ts';
import * as metricsInPlace from './migrations/2026-12-15-31-metrics-in-place.ts';
import * as runsChanged from './migrations/2026-12-16-32-runs-changed.ts';

/**
 * Every migration, applied in name order (hence the sequence number after the date). Landed
 * migrations are frozen: add a new file, never edit one.
 */
const MIGRATIONS: Record<string, Migration> = {
  '2026-11-23-01-engine-core': engineCore,
  '2026-11-23-02-customer-data': customerData,
  '2026-11-23-03-plugins': plugins,
  '2026-11-23-05-operations': operations,
  '2026-11-23-06-privacy': privacy,
  '2026-11-23-07-editor': editor,
  '2026-11-23-08-run-writes': runWrites,
  '2026-11-24-09-runs-fillfactor': runsFillfactor,
  '2026-12-05-10-one-clock': oneClock,
  '2026-12-05-11-plugin-facets': pluginFacets,
  '2026-12-05-12-rfm-cut-size': rfmCutSize,
  '2026-12-06-13-customer-list-filters': customerListFilters,
  '2026-12-07-14-user-teams': userTeams,
  '2026-12-08-15-customer-search': customerSearch,
  '2026-12-08-16-dashboard-counts': dashboardCounts,
  '2026-12-08-17-bulk-actions': bulkActions,
  '2026-12-08-18-bulk-exports': bulkExports,
  '2026-12-09-19-event-keys': eventKeys,
  '2026-12-09-20-run-keys': runKeys,
  '2026-12-09-25-customer-predictions': customerPredictions,
  '2026-12-10-26-experiments': experiments,
  '2026-12-11-27-events-by-month': eventsByMonth,
  '2026-12-12-28-run-history-by-month': runHistoryByMonth,
  '2026-12-13-29-metrics-windows': metricsWindows,
  '2026-12-14-30-no-jit': noJit,
  '2026-12-15-31-metrics-in-place': metricsInPlace,
  '2026-12-16-32-runs-changed': runsChanged,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Brings the schema up to date; safe to run from several processes at once (Kysely locks). */
// biome-ignore lint/suspicious/noExplicitAny: migrations run on any schema
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Applies the migrations up to and including `name` (benchmarks of an upgrade start there). */
// biome-ignore lint/suspicious/noExplicitAny: migrations run on any schema
export async function migrateTo(db: Kysely<any>, name: string): Promise<void> {
  const { error } = await new Migrator({ db, provider }).migrateTo(name);
  if (error) throw error;
}

/** Migrations this engine knows that the database has not applied yet (readiness). */
// biome-ignore lint/suspicious/noExplicitAny: migrations run on any schema
export async function pendingMigrations(db: Kysely<any>): Promise<string[]> {
  const migrations = await new Migrator({ db, provider }).getMigrations();
  return migrations.filter((m) => !m.executedAt).map((m) => m.name);
}
