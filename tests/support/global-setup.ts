import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createLogger } from '../../engine/src/logger.ts';
import { startEmbeddedPostgres } from '../../engine/src/postgres/embedded.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL server URL without a database name; each test file creates its own database. */
    pgServer: string;
  }
}

/**
 * One real PostgreSQL for the whole run: DATABASE_URL's server when set, else an embedded one in
 * a temporary folder.
 */
export default async function setup(project: TestProject) {
  const external = process.env.DATABASE_URL;
  if (external) {
    project.provide('pgServer', external.replace(/\/[^/]*$/, ''));
    return;
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'tend-test-pg-'));
  const server = await startEmbeddedPostgres(dir, createLogger('warn'));
  project.provide('pgServer', server.url.replace(/\/[^/]*$/, ''));
  return async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
