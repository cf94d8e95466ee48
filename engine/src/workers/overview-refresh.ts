import { monthsAround } from '@tend/plugin-sdk/time';
import { whileHolding } from '../store/advisory-lock.ts';
import { countOverview, readOverviewSnapshot, writeOverviewSnapshot } from '../store/overview.ts';
import type { RuntimeDeps } from './deps.ts';
import { every } from './every.ts';

const LOCK = 'tend-overview';

/**
 * How long counting the base may take for the dashboard to count live at each look. Above it
 * (hundreds of thousands of customers) the dashboard shows the figures this refresher keeps.
 */
export const LIVE_OVERVIEW_MS = 500;

/** At most this share of the time goes to counting: a count that takes long comes less often. */
const MAX_DUTY = 1 / 20;
/** …but never so seldom that the dashboard would find the figures stale and count at the look. */
const LONGEST_WAIT_MS = 5 * 60_000;

/**
 * How long after a count that took `tookMs` the next is due: `intervalMs`, or longer when
 * counting takes more than a twentieth of it, up to five minutes. Counting reads the whole base
 * (2–3 s per million customers here): every minute, a base of twenty million would keep a core
 * of PostgreSQL busy with it.
 */
export function countAgainAfterMs(intervalMs: number, tookMs: number): number {
  return Math.max(intervalMs, Math.min(LONGEST_WAIT_MS, tookMs / MAX_DUTY));
}

/**
 * Keeps the overview's figures of a large base counted in the background, in one process at a
 * time, every `intervalMs` (less often when counting takes long): opening the dashboard then
 * reads one row instead of scanning the base for seconds. A small base is counted live by the
 * API, and this does nothing.
 */
export function startOverviewRefresh(deps: RuntimeDeps, intervalMs: number): { stop(): Promise<void> } {
  return every(
    intervalMs,
    async () => {
      const kept = await readOverviewSnapshot(deps.db);
      const age = kept ? deps.now().getTime() - Date.parse(kept.at) : Number.POSITIVE_INFINITY;
      if (kept && (kept.tookMs < LIVE_OVERVIEW_MS || age < countAgainAfterMs(intervalMs, kept.tookMs)))
        return;
      await whileHolding(deps.db, LOCK, async () => {
        const started = performance.now();
        const body = await countOverview(
          deps.db,
          monthsAround(deps.now(), deps.config.defaultTimezone),
          true,
        );
        const at = deps.now();
        const tookMs = Math.round(performance.now() - started);
        await writeOverviewSnapshot(deps.db, { at: at.toISOString(), tookMs, body }, at);
      });
    },
    (error) => deps.log.warn('counting the overview failed', { error }),
  );
}
