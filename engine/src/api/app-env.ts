import type { PgBoss } from 'pg-boss';
import type { Role } from '../accounts/roles.ts';
import type { Config } from '../config.ts';
import type { CustomerCodec } from '../customers/codec.ts';
import type { LifecycleConfig } from '../lifecycle/config.ts';
import type { Logger } from '../logger.ts';
import type { PluginHost } from '../plugins-host/plugin-host.ts';
import type { PluginRegistry } from '../plugins-host/registry.ts';
import type { Db } from '../store/db.ts';
import type { IncomingEvent, IngestResult } from '../store/ingest.ts';
import type { RuntimeDeps } from '../workers/deps.ts';
import type { KeyCache } from './key-cache.ts';
import type { LaggingReads } from './replica-reads.ts';

/** What the HTTP API needs from the running engine. */
export interface AppServices {
  db: Db;
  /** `DATABASE_READ_URL`'s replica, for reads that tolerate a little lag (api/replica-reads.ts). */
  replica: Db | null;
  boss: PgBoss;
  registry: PluginRegistry;
  customers: CustomerCodec;
  lifecycle: LifecycleConfig;
  config: Config;
  log: Logger;
  now: () => Date;
  /** The runtime's dependencies, for routes that run engine work on demand. */
  runtime: RuntimeDeps;
  /** The installed plugins at run time: their contexts and the engine work they take part in. */
  plugins: PluginHost;
  /** Stores one request's events, group-committed with concurrent requests' (store/ingest.ts). */
  ingest(events: IncomingEvent[]): Promise<IngestResult>;
  /** API keys this process looked up lately (api/key-cache.ts). */
  apiKeys: KeyCache;
  /** Whether this process's workers run (readiness). */
  workersRunning(): boolean;
}

export { ROLES, type Role } from '../accounts/roles.ts';

/** Who is calling: a key's name and role, or a signed-in person's email and role. */
export interface Principal {
  name: string;
  role: Role;
  /** Set for people signed in with a session cookie (the editor), absent for API keys. */
  user?: { id: string; email: string; name: string | null; csrf: string; sessionId: string };
  /** The owners whose customers a staff member may see (accounts/roles.ts#ownerScope); null: all. */
  scope: string[] | null;
}

export type AppEnv = {
  Variables: {
    principal: Principal;
    services: AppServices;
    requestId: string;
    /** The database for reads that tolerate a little lag: the replica when it has caught up. */
    readsThatMayLag: () => Promise<LaggingReads>;
  };
};
