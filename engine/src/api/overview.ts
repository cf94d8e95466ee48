import { monthsAround } from '@tend/plugin-sdk/time';
import { Hono } from 'hono';
import type { Clock } from '../clock.ts';
import type { Db } from '../store/db.ts';
import {
  countOverview,
  type Overview,
  readOverviewSnapshot,
  writeOverviewSnapshot,
} from '../store/overview.ts';
import { LIVE_OVERVIEW_MS } from '../workers/overview-refresh.ts';
import type { AppEnv } from './app-env.ts';
import { requires } from './auth.ts';
import { type LaggingReads, readsThatMayLag } from './replica-reads.ts';
import { type SharedAnswer, sharedAnswer } from './shared-answer.ts';

/** Kept figures older than this are counted again at the look (the refresher is not running). */
const STALE_MS = 10 * 60_000;

/** One shared answer per database (tests start several engines in one process). */
const shared = new WeakMap<Db, SharedAnswer<Overview & { at: string }>>();

/**
 * The overview of a small base is counted at the look (every open dashboard shares one count per
 * few seconds); a large base's, that took longer than LIVE_OVERVIEW_MS to count, is what the
 * workers' refresher last counted, with its time.
 */
function overviewOf(reads: LaggingReads, primary: Db, now: Clock, zone: string) {
  const { db } = reads;
  let answer = shared.get(db);
  if (!answer) {
    answer = sharedAnswer(async () => {
      const kept = await readOverviewSnapshot(db);
      if (kept && kept.tookMs >= LIVE_OVERVIEW_MS && now().getTime() - Date.parse(kept.at) < STALE_MS)
        return { ...kept.body, at: kept.at };
      const started = performance.now();
      const body = await countOverview(db, monthsAround(now(), zone));
      const at = now();
      const tookMs = Math.round(performance.now() - started);
      // Counted on a replica or not, the figures are kept on the primary.
      await writeOverviewSnapshot(primary, { at: at.toISOString(), tookMs, body }, at);
      return { ...body, at: at.toISOString() };
    });
    shared.set(db, answer);
  }
  return answer('overview', reads.seen);
}

/**
 * `GET /api/overview`: the customer base at a glance for the dashboard: customers per lifecycle
 * stage, per RFM segment, and the recency × frequency grid, as of `at`.
 */
export const overviewApi = new Hono<AppEnv>().get('/', requires('read'), async (c) => {
  const { db, now } = c.var.services;
  return c.json(await overviewOf(await readsThatMayLag(c), db, now, c.var.services.config.defaultTimezone));
});
