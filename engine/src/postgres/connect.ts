import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { startEmbeddedPostgres } from './embedded.ts';
import { postmasterRunning } from './stale-postmaster.ts';

/**
 * The database a CLI command should use: DATABASE_URL; or the embedded PostgreSQL a running
 * `tend start` already serves (used as it is, never restarted under it); or the embedded one,
 * started for this command and stopped after.
 */
export async function openDatabase(
  config: Config,
  log: Logger,
): Promise<{ url: string; close(): Promise<void> }> {
  if (config.databaseUrl) return { url: config.databaseUrl, close: async () => {} };
  const settings = path.join(config.dataDir, 'postgres.json');
  const dataDir = path.join(config.dataDir, 'pgdata');
  if (existsSync(settings) && (await postmasterRunning(dataDir))) {
    const { port, password } = JSON.parse(await readFile(settings, 'utf8')) as {
      port: number;
      password: string;
    };
    return {
      url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/tend`,
      close: async () => {},
    };
  }
  const server = await startEmbeddedPostgres(config.dataDir, log);
  return { url: server.url, close: () => server.stop() };
}
