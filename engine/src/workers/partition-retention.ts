import { whileHolding } from '../store/advisory-lock.ts';
import type { Db } from '../store/db.ts';
import { dropEventsBefore, makeEventMonthsAround } from '../store/event-partitions.ts';
import { dropRunHistoryBefore, makeRunHistoryMonthsAround } from '../store/run-history-partitions.ts';
import type { RuntimeDeps } from './deps.ts';
import { every } from './every.ts';

const LOCK = 'tend-partition-retention';

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
export const maintainEvents = (deps: Deps, retainDays: number) =>
  maintain(deps, 'events', retainDays, makeEventMonthsAround, (conn, cutoff) =>
    dropEventsBefore(conn, cutoff, [deps.lifecycle.orders.event]),
  );

/**
 * Keeps `run_history` partitioned the same way; the history of runs ended longer ago than
 * TEND_RETAIN_RUN_HISTORY_DAYS goes, a month at a time (an active run's never does).
 */
export const maintainRunHistory = (deps: Deps, retainDays: number) =>
  maintain(deps, 'run_history', retainDays, makeRunHistoryMonthsAround, dropRunHistoryBefore);

/**
 * Makes a table's months around now and, unless `retainDays` is 0, drops those past it, in one
 * process at a time (advisory lock); elsewhere it does nothing.
 */
async function maintain(
  deps: Deps,
  table: string,
  retainDays: number,
  make: (conn: Db, now: Date) => Promise<string[]>,
  drop: (conn: Db, cutoff: Date) => Promise<string[]>,
): Promise<Maintained> {
  const done = await whileHolding(deps.db, LOCK, async (conn) => {
    const now = deps.now();
    const made = await make(conn, now);
    const dropped =
      retainDays === 0 ? [] : await drop(conn, new Date(now.getTime() - retainDays * 86_400_000));
    if (made.length + dropped.length > 0) deps.log.info(`${table} partitions`, { made, dropped });
    return { made, dropped };
  });
  return done ?? { made: [], dropped: [] };
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
