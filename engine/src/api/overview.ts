import { Hono } from 'hono';
import type { Db } from '../store/db.ts';
import { customersBySegment, customersByStage, type RfmCell, rfmGrid } from '../store/overview.ts';
import type { AppEnv } from './app-env.ts';
import { requires } from './auth.ts';
import { sharedAnswer } from './shared-answer.ts';

interface Overview {
  stages: Record<string, number>;
  segments: Record<string, number>;
  rfm: RfmCell[];
}

/** One shared answer per database (tests start several engines in one process). */
const shared = new WeakMap<Db, (key: string) => Promise<Overview>>();

function overviewOf(db: Db) {
  let answer = shared.get(db);
  if (!answer) {
    answer = sharedAnswer(async () => {
      const [stages, segments, rfm] = await Promise.all([
        customersByStage(db),
        customersBySegment(db),
        rfmGrid(db),
      ]);
      return { stages, segments, rfm };
    });
    shared.set(db, answer);
  }
  return answer('overview');
}

/**
 * `GET /api/overview`: the customer base at a glance for the dashboard: customers per lifecycle
 * stage, per RFM segment, and the recency × frequency grid. Every open dashboard shares one
 * computation per few seconds (the counts read whole tables).
 */
export const overviewApi = new Hono<AppEnv>().get('/', requires('read'), async (c) => {
  const { db, now } = c.var.services;
  return c.json({ ...(await overviewOf(db)), at: now().toISOString() });
});
