import type { PgBoss } from 'pg-boss';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { PluginRegistry } from '../plugins-host/registry.ts';
import type { Db } from '../store/db.ts';

/** What the HTTP API needs from the running engine. */
export interface AppServices {
  db: Db;
  boss: PgBoss;
  registry: PluginRegistry;
  config: Config;
  log: Logger;
  now: () => Date;
}

export type Role = 'admin' | 'operator' | 'viewer' | 'ingest';
export const ROLES: readonly Role[] = ['admin', 'operator', 'viewer', 'ingest'];

/** Who is calling: a key's name and role, or a signed-in person's email and role. */
export interface Principal {
  name: string;
  role: Role;
  /** Set for people signed in with a session cookie (the editor), absent for API keys. */
  user?: { id: string; email: string; name: string | null; csrf: string; sessionId: string };
}

export type AppEnv = { Variables: { principal: Principal; services: AppServices } };
