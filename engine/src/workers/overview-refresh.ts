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

/**
 * Keeps the overview's figures of a large base counted in the background, in one process at a
 * time, every `intervalMs`: opening the dashboard then reads one row instead of scanning the
 * base for seconds. A small base is counted live by the API, and this does nothing.
 */
export function startOverviewRefresh(deps: RuntimeDeps, intervalMs: number): { stop(): Promise<void> } {
  return every(
    intervalMs,
    async () => {
      const kept = await readOverviewSnapshot(deps.db);
      const age = kept ? deps.now().getTime() - Date.parse(kept.at) : Number.POSITIVE_INFINITY;
      if (kept && (kept.tookMs < LIVE_OVERVIEW_MS || age < intervalMs)) return;
      await whileHolding(deps.db, LOCK, async () => {
        const started = performance.now();
        const body = await countOverview(deps.db, monthsAround(deps.now(), deps.config.defaultTimezone));
        const at = deps.now();
        const tookMs = Math.round(performance.now() - started);
        await writeOverviewSnapshot(deps.db, { at: at.toISOString(), tookMs, body }, at);
      });
    },
    (error) => deps.log.warn('counting the overview failed', { error }),
  );
}
