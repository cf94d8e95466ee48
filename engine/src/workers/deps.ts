import type { PgBoss } from 'pg-boss';
import type { Config } from '../config.ts';
import type { InlineStepRunner } from '../core/inline-steps.ts';
import type { CustomerCodec } from '../customers/codec.ts';
import type { LifecycleConfig } from '../lifecycle/config.ts';
import type { Logger } from '../logger.ts';
import type { EngineMetrics } from '../observability/metrics.ts';
import type { CustomerChanges } from '../plugins-host/customer-changes.ts';
import type { PluginHost } from '../plugins-host/plugin-host.ts';
import type { PluginRegistry } from '../plugins-host/registry.ts';
import type { Db } from '../store/db.ts';

/** What the runtime's workers share in one process. */
export interface RuntimeDeps {
  db: Db;
  boss: PgBoss;
  registry: PluginRegistry;
  inline: InlineStepRunner;
  /** Encrypts and decrypts customers' personal fields. */
  customers: CustomerCodec;
  /** workflows/lifecycle.yaml: purchases and lifecycle stages. */
  lifecycle: LifecycleConfig;
  config: Config;
  log: Logger;
  /** What this process counts for `GET /metrics`. */
  metrics: EngineMetrics;
  /** The installed plugins: each step runs with its plugin's context. */
  plugins: PluginHost;
  /** Customers plugin steps changed, to be read again before what follows. */
  customerChanges: CustomerChanges;
  /** The engine's clock; tests may move it. */
  now: () => Date;
}
