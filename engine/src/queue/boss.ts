import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { fromKysely, PgBoss, type Queue } from 'pg-boss';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { QUEUES } from './queues.ts';

/** How many extra pg-boss retries a step gets for crashes, beyond its own attempts. */
/** Tries of a bulk action's job before the action is marked failed (workers/start-workers.ts). */
export const BULK_RETRIES = 20;

export const CRASH_ALLOWANCE = 20;

/**
 * pg-boss tuned for the engine: LISTEN/NOTIFY wakes workers within milliseconds, and a
 * supervisor every few seconds hands a dead process's jobs to a live one soon after its
 * heartbeat stops.
 */
export function createBoss(url: string, log: Logger): PgBoss {
  const boss = new PgBoss({
    connectionString: url,
    max: 10,
    application_name: 'tend-queue',
    useListenNotify: true,
    superviseIntervalSeconds: 5,
    monitorIntervalSeconds: 5,
    queueCacheIntervalSeconds: 5,
    maintenanceIntervalSeconds: 60,
    instanceName: 'tend',
    schedule: false,
    warningQueueSize: 1_000_000,
    // A job carries the trace it was made in (when tracing is on), so its work continues it.
    openTelemetry: { propagateContext: true },
  });
  boss.on('error', (error) => log.warn('queue', { error }));
  boss.on('warning', (w) => log.debug(`queue warning: ${w.message}`));
  return boss;
}

/** Creates the engine's queues, or brings their options up to date. */
export async function ensureQueues(boss: PgBoss, config: Config): Promise<void> {
  const common = {
    notify: true,
    heartbeatSeconds: config.heartbeatSeconds,
    deleteAfterSeconds: 120,
    retentionSeconds: 14 * 86_400,
  } satisfies Partial<Queue>;
  // Jobs whose work must happen (dispatch, timers, shared steps): retried until it does.
  const untilDone = {
    ...common,
    partition: true,
    retryLimit: 1000,
    retryDelay: 1,
    retryBackoff: true,
    retryDelayMax: 30,
  };
  const queues: Queue[] = [
    {
      name: QUEUES.segment,
      ...common,
      retryLimit: 20,
      retryDelay: 5,
      retryBackoff: true,
      retryDelayMax: 300,
    },
    {
      name: QUEUES.bulk,
      ...common,
      retryLimit: BULK_RETRIES,
      retryDelay: 5,
      retryBackoff: true,
      retryDelayMax: 300,
    },
    {
      name: QUEUES.stepDead,
      ...common,
      retryLimit: 50,
      retryDelay: 1,
      retryBackoff: true,
      retryDelayMax: 60,
    },
    { name: QUEUES.dispatch, ...untilDone },
    {
      name: QUEUES.step,
      ...common,
      partition: true,
      retryLimit: CRASH_ALLOWANCE,
      retryDelay: 1,
      retryBackoff: true,
      retryDelayMax: 300,
      deadLetter: QUEUES.stepDead,
    },
    { name: QUEUES.steps, ...untilDone },
    { name: QUEUES.timer, ...untilDone },
  ];
  for (const { name, partition, ...options } of queues) {
    const existing = await boss.getQueue(name);
    if (existing) {
      const { deadLetter, ...rest } = options;
      await boss.updateQueue(name, { ...rest, ...(deadLetter ? { deadLetter } : {}) });
    } else {
      await boss.createQueue(name, { ...options, ...(partition ? { partition } : {}) });
    }
  }
}

/** A pg-boss connection that runs inside a Kysely transaction: jobs commit with the state. */
// biome-ignore lint/suspicious/noExplicitAny: any Kysely transaction of the engine's database
export const inTransaction = (trx: Kysely<any>) => fromKysely(trx);

/**
 * pg-boss's `startAfter` for a job due at `due`: the seconds from the engine's `now` (0: at once).
 * pg-boss adds them to the database's clock (`job_now() + interval`); an absolute date would be
 * compared with the database's clock instead of the engine's, and a timer would fire early or late
 * by however far the two differ (a TestClock, TEND_CLOCK_OFFSET).
 */
export function startAfterSeconds(due: Date, now: Date): number {
  return Math.max(0, due.getTime() - now.getTime()) / 1000;
}

/** A stable job id (UUID-shaped) from an idempotency key: the same work is never queued twice. */
export function jobId(key: string): string {
  const h = createHash('sha1').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Jobs waiting and running per engine queue, from pg-boss's cached counts (refreshed by its
 * monitor every few seconds: a scrape costs one small query, never a count over the job table).
 */
export async function queueDepths(
  boss: PgBoss,
): Promise<{ queue: string; queued: number; active: number }[]> {
  const queues = await boss.getQueues(Object.values(QUEUES));
  return queues.map((q) => ({ queue: q.name, queued: q.queuedCount, active: q.activeCount }));
}
