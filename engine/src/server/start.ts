import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve } from '@hono/node-server';
import type { AppServices } from '../api/app-env.ts';
import { KeyCache } from '../api/key-cache.ts';
import { type Clock, systemClock } from '../clock.ts';
import type { Config } from '../config.ts';
import { inlineRunner } from '../core/inline-steps.ts';
import { CustomerCodec } from '../customers/codec.ts';
import { loadLifecycle } from '../lifecycle/config.ts';
import { createLogger, type Logger } from '../logger.ts';
import { createMetrics } from '../observability/metrics.ts';
import { startTracing } from '../observability/tracing.ts';
import { startBackgroundJobs } from '../plugins-host/background.ts';
import { CustomerChanges } from '../plugins-host/customer-changes.ts';
import { createEngineServices } from '../plugins-host/engine-services.ts';
import { installedPlugins } from '../plugins-host/installed-plugins.ts';
import { PluginHost } from '../plugins-host/plugin-host.ts';
import { PluginRegistry } from '../plugins-host/registry.ts';
import { startEmbeddedPostgres } from '../postgres/embedded.ts';
import { indexUnindexedNames } from '../privacy/index-names.ts';
import { loadKeyRing } from '../privacy/load-keys.ts';
import { checkNames, serverSources } from '../publishing/check-names.ts';
import { loadWorkflowFolder } from '../publishing/load-folder.ts';
import { syncFilesAtStart } from '../publishing/workflow-files.ts';
import { createBoss, ensureQueues, queueDepths } from '../queue/boss.ts';
import { createDb } from '../store/db.ts';
import { makeEventMonthsAround } from '../store/event-partitions.ts';
import { groupedIngest } from '../store/ingest.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { makeRunHistoryMonthsAround } from '../store/run-history-partitions.ts';
import type { RuntimeDeps } from '../workers/deps.ts';
import { startWorkers } from '../workers/start-workers.ts';
import { createApp } from './app.ts';
import { answerClientErrors } from './client-errors.ts';

export interface Running {
  url: string;
  databaseUrl: string;
  services: AppServices;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Store and publish the workflows folder (the shipped journeys) on start. */
  loadWorkflows?: boolean;
  /** Serve HTTP (a worker-only process can skip it). */
  http?: boolean;
  log?: Logger;
  /** The engine's clock (tests move one by hand); default: the machine's, moved by TEND_CLOCK_OFFSET. */
  now?: Clock;
}

/** Starts Tend: database (embedded when no DATABASE_URL), migrations, queues, workers, HTTP. */
export async function startTend(config: Config, options: StartOptions = {}): Promise<Running> {
  const log = options.log ?? createLogger(config.logLevel, config.logFormat);
  const metrics = createMetrics();
  const tracing = config.otlpEndpoint ? await startTracing(config.otlpEndpoint, log) : null;
  const now = options.now ?? systemClock(config.clockOffsetMs);
  if (!options.now && config.clockOffsetMs !== 0) {
    log.warn(`TEND_CLOCK_OFFSET: the engine's clock reads ${now().toISOString()} (testing only)`);
  }
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres(config.dataDir, log);
  if (embedded) log.info(`PostgreSQL data lives in ${embedded.dataDir}`);
  const databaseUrl = config.databaseUrl ?? (embedded?.url as string);
  // The engine's own connections to its embedded server go through the Unix socket.
  const connectUrl = config.databaseUrl ?? (embedded?.socketUrl as string);

  const { db, pool } = createDb(connectUrl, { prepare: config.preparedStatements });
  // Only the API reads there (api/replica-reads.ts): a smaller pool.
  const replica = config.databaseReadUrl ? createDb(config.databaseReadUrl, { max: 10 }) : null;
  const applied = await migrateToLatest(db);
  if (applied.length > 0) log.info(`migrations applied: ${applied.join(', ')}`);
  // This month's partitions of `events` and `run_history` exist before the first row is written.
  // Should a table be busy past the lock timeout, rows wait in its default partition until the
  // hourly job makes it: no reason to refuse to start.
  for (const [table, make] of [
    ['events', makeEventMonthsAround],
    ['run_history', makeRunHistoryMonthsAround],
  ] as const) {
    await make(db, now()).catch((error) =>
      log.warn(`${table} partitions not made at start; the hourly job tries again`, { error }),
    );
  }
  const registry = await PluginRegistry.load(installedPlugins(config));
  const customers = new CustomerCodec(await loadKeyRing(config, log), now, registry.facets());
  const lifecycleFile = path.join(config.workflowsDir, 'lifecycle.yaml');
  const loadedLifecycle = await loadLifecycle(lifecycleFile);
  if (!loadedLifecycle.ok) {
    const where = loadedLifecycle.issues.map((i) => `${lifecycleFile}:${i.line}:${i.column}: ${i.message}`);
    throw new Error(`the lifecycle file is invalid:\n${where.join('\n')}`);
  }
  const lifecycle = loadedLifecycle.config;
  const boss = createBoss(connectUrl, log.child('queue'));
  await boss.start();
  await ensureQueues(boss, config);
  metrics.readQueuesWith(() => queueDepths(boss));

  let listening = '';
  const customerChanges = new CustomerChanges();
  const plugins = new PluginHost({
    db,
    config,
    registry,
    services: createEngineServices({
      db,
      boss,
      codec: customers,
      linkSecret: config.linkSecret,
      sendConcurrency: config.sendConcurrency,
      now,
      changes: customerChanges,
      metrics,
    }),
    publicUrl: () => config.publicUrl ?? listening,
    now,
    log: log.child('plugins'),
  });
  const pluginMigrations = await plugins.migrate();
  if (pluginMigrations.length > 0) log.info(`plugin migrations applied: ${pluginMigrations.join(', ')}`);
  if (options.loadWorkflows) {
    // Checked like a push: a journey naming a template, survey or segment that does not exist
    // is not published (its problems are logged with file, line and column).
    const names: Parameters<typeof loadWorkflowFolder>[5] = (v) =>
      checkNames(v.source, v.def, registry, serverSources(db, plugins, config.workflowsDir));
    const loaded = await loadWorkflowFolder(db, registry, config.workflowsDir, log, now(), names);
    if (loaded.length > 0) log.info(`workflows: ${loaded.join(', ')}`);
    await syncFilesAtStart(db, registry, config.workflowsDir, log, now());
  }
  const runtime: RuntimeDeps = {
    db,
    boss,
    registry,
    customers,
    lifecycle,
    inline: inlineRunner(registry),
    config,
    log: log.child('runtime'),
    now,
    plugins,
    customerChanges,
    metrics,
  };
  let stopping: Promise<void> | null = null;
  let workers: Awaited<ReturnType<typeof startWorkers>> | null = null;
  const grouped = groupedIngest(
    db,
    boss,
    now,
    (error) =>
      log.warn(
        `an ingested event's dispatch job was not written; the sweeper will dispatch it: ${(error as Error).message}`,
      ),
    (customers) => (stopping === null && workers?.dispatchNow(customers)) ?? false,
  );
  const services: AppServices = {
    db,
    replica: replica?.db ?? null,
    boss,
    registry,
    customers,
    lifecycle,
    config,
    log,
    now,
    runtime,
    plugins,
    ingest: grouped.ingest,
    apiKeys: new KeyCache(),
    workersRunning: () => workers !== null && stopping === null,
  };
  workers = config.workers ? await startWorkers(runtime) : null;
  const background = config.workers
    ? startBackgroundJobs(plugins, now, log.child('plugins'), config.backgroundIntervalSeconds)
    : null;
  // Names stored before partial-name search get their fragments' hashes, in the background.
  const naming = config.workers
    ? indexUnindexedNames(db, customers.keys, () => stopping !== null).then(
        (n) => n > 0 && log.info(`indexed ${n} names for partial-name search`),
        (e: unknown) => log.error(`indexing names for search failed: ${(e as Error).message}`),
      )
    : null;

  let server: ReturnType<typeof serve> | null = null;
  let url = '';
  if (options.http !== false) {
    const app = createApp(services);
    server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve(
        {
          fetch: app.fetch,
          port: config.port,
          hostname: config.host,
          serverOptions: { maxHeaderSize: config.maxHeaderBytes },
        },
        () => resolve(s),
      );
      s.on('clientError', answerClientErrors(config.maxHeaderBytes));
    });
    const address = server.address() as AddressInfo;
    url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${address.port}`;
    listening = url;
  }

  return {
    url,
    databaseUrl,
    services,
    stop() {
      stopping ??= (async () => {
        await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
        // The last answers' dispatch jobs are written before the queue stops.
        await grouped.settled();
        await background?.stop();
        await naming;
        await workers?.stop();
        await boss.stop({ graceful: true, timeout: 10_000 });
        await db.destroy().catch(() => pool.end());
        await replica?.db.destroy().catch(() => replica.pool.end());
        await embedded?.stop();
        await tracing?.stop();
      })();
      return stopping;
    },
  };
}
