import type { Config } from '../config.ts';
import { createLogger } from '../logger.ts';
import { openDatabase } from '../postgres/connect.ts';
import { createDb } from '../store/db.ts';
import { migrateToLatest } from '../store/migrate.ts';

/** `tend migrate`: applies pending migrations and says which. */
export async function runMigrate(config: Config): Promise<number> {
  const log = createLogger(config.logLevel, config.logFormat);
  const database = await openDatabase(config, log);
  const { db } = createDb(database.url, { max: 2 });
  try {
    const applied = await migrateToLatest(db);
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'the schema is up to date\n');
    return 0;
  } finally {
    await db.destroy();
    await database.close();
  }
}
