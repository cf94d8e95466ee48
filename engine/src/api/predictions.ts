import { Hono } from 'hono';
import { readState } from '../store/engine-state.ts';
import { PREDICTIONS_STATE, type RefreshRecord, refreshPredictions } from '../workers/predictions-refresh.ts';
import type { AppEnv } from './app-env.ts';
import { requires } from './auth.ts';

/** The purchase model: what its last refresh fitted and scored, and refreshing it now. */
export const predictionsApi = new Hono<AppEnv>()
  .get('/predictions', requires('read'), async (c) => {
    const last = await readState<RefreshRecord>(c.var.services.db, PREDICTIONS_STATE);
    return c.json({ last });
  })
  .post('/predictions/refresh', requires('workflows:publish'), async (c) => {
    const { runtime, now } = c.var.services;
    return c.json(await refreshPredictions(runtime, now()));
  });
