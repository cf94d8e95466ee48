import { sql } from 'kysely';
import type { Db } from '../store/db.ts';
import { dropEventsBefore, makeEventMonthsAround } from '../store/event-partitions.ts';
import { dropRunHistoryBefore, makeRunHistoryMonthsAround } from '../store/run-history-partitions.ts';
import type { RuntimeDeps } from './deps.ts';
import { every } from './every.ts';

const LOCK = sql`hashtext('tend-partition-retention')`;

/** How often partitions are made and dropped: often enough that a month's turn is never missed. */
export const PARTITION_RETENTION_MS = 3_600_000;

type Deps = Pick<RuntimeDeps, 'db' | 'now' | 'lifecycle' | 'log'>;

export interface Maintained {
  made: string[];
  dropped: string[];
}

/**
 * Keeps `events` partitioned on the engine's clock: the months around now exist before events
 * arrive, and the months received past TEND_RETAIN_EVENTS_DAYS are dropped whole, after their
 * purchases are set aside (the lifecycle's order event).
 */
export function maintainEvents(deps: Deps, retainDays: number): Promise<Maintained> {
  return oneAtATime(deps.db, async (conn) => {
    const now = deps.now();
    const made = await makeEventMonthsAround(conn, now);
    const dropped =
      retainDays === 0
        ? []
        : await dropEventsBefore(conn, daysBefore(now, retainDays), [deps.lifecycle.orders.event]);
    if (made.length + dropped.length > 0) deps.log.info('events partitions', { made, dropped });
    return { made, dropped };
  });
}

/**
 * Keeps `run_history` partitioned the same way; the history of runs ended longer ago than
 * TEND_RETAIN_RUN_HISTORY_DAYS goes, a month at a time (an active run's never does).
 */
export function maintainRunHistory(deps: Deps, retainDays: number): Promise<Maintained> {
  return oneAtATime(deps.db, async (conn) => {
    const now = deps.now();
    const made = await makeRunHistoryMonthsAround(conn, now);
    const dropped = retainDays === 0 ? [] : await dropRunHistoryBefore(conn, daysBefore(now, retainDays));
    if (made.length + dropped.length > 0) deps.log.info('run history partitions', { made, dropped });
    return { made, dropped };
  });
}

const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * 86_400_000);

/** Runs `work` in one process at a time (advisory lock); elsewhere it does nothing. */
function oneAtATime(db: Db, work: (conn: Db) => Promise<Maintained>): Promise<Maintained> {
  return db.connection().execute(async (conn) => {
    const got = await sql<{ ok: boolean }>`SELECT pg_try_advisory_lock(${LOCK}) AS ok`.execute(conn);
    if (!got.rows[0]?.ok) return { made: [], dropped: [] };
    try {
      return await work(conn);
    } finally {
      await sql`SELECT pg_advisory_unlock(${LOCK})`.execute(conn);
    }
  });
}

/** Maintains both tables now and every hour. */
export function startPartitionRetention(deps: RuntimeDeps): { stop(): Promise<void> } {
  return every(
    PARTITION_RETENTION_MS,
    async () => {
      await maintainEvents(deps, deps.config.retainEventsDays);
      await maintainRunHistory(deps, deps.config.retainRunHistoryDays);
    },
    (error) => deps.log.warn('partitions maintenance failed', { error }),
  );
}
