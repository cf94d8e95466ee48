import type { Config } from '../config.ts';
import { createLogger } from '../logger.ts';
import { startEmbeddedPostgres } from '../postgres/embedded.ts';
import { createDb } from '../store/db.ts';
import { migrateToLatest } from '../store/migrate.ts';

/** `tend migrate`: applies pending migrations and says which. */
export async function runMigrate(config: Config): Promise<number> {
  const log = createLogger(config.logLevel);
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres(config.dataDir, log);
  const { db } = createDb(config.databaseUrl ?? (embedded?.url as string), 2);
  try {
    const applied = await migrateToLatest(db);
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'the schema is up to date\n');
    return 0;
  } finally {
    await db.destroy();
    await embedded?.stop();
  }
}
