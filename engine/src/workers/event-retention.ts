import { sql } from 'kysely';
import { dropEventsBefore, makeEventMonthsAround } from '../store/event-partitions.ts';
import type { RuntimeDeps } from './deps.ts';
import { every } from './every.ts';

const LOCK = sql`hashtext('tend-event-retention')`;

/** How often partitions are made and dropped: often enough that a month's turn is never missed. */
export const EVENT_RETENTION_MS = 3_600_000;

/**
 * Keeps `events` partitioned on the engine's clock, in one process at a time: the months around
 * now exist before events arrive, and the months received past TEND_RETAIN_EVENTS_DAYS are
 * dropped whole, after their purchases are set aside (the lifecycle's order event).
 */
export async function maintainEvents(
  deps: Pick<RuntimeDeps, 'db' | 'now' | 'lifecycle' | 'log'>,
  retainDays: number,
): Promise<{ made: string[]; dropped: string[] }> {
  return deps.db.connection().execute(async (conn) => {
    const got = await sql<{ ok: boolean }>`SELECT pg_try_advisory_lock(${LOCK}) AS ok`.execute(conn);
    if (!got.rows[0]?.ok) return { made: [], dropped: [] };
    try {
      const now = deps.now();
      const made = await makeEventMonthsAround(conn, now);
      const dropped =
        retainDays === 0
          ? []
          : await dropEventsBefore(conn, new Date(now.getTime() - retainDays * 86_400_000), [
              deps.lifecycle.orders.event,
            ]);
      if (made.length + dropped.length > 0) deps.log.info('events partitions', { made, dropped });
      return { made, dropped };
    } finally {
      await sql`SELECT pg_advisory_unlock(${LOCK})`.execute(conn);
    }
  });
}

/** Runs maintainEvents now and every hour. */
export function startEventRetention(deps: RuntimeDeps): { stop(): Promise<void> } {
  return every(
    EVENT_RETENTION_MS,
    async () => {
      await maintainEvents(deps, deps.config.retainEventsDays);
    },
    (error) => deps.log.warn('events partitions failed', { error }),
  );
}
