import { Hono } from 'hono';
import { AppError } from '../errors.ts';
import { readState } from '../store/engine-state.ts';
import {
  PREDICTIONS_STATE,
  type RefreshRecord,
  refreshPredictionsOnce,
} from '../workers/predictions-refresh.ts';
import type { AppEnv } from './app-env.ts';
import { requires } from './auth.ts';

/** The purchase model: what its last refresh fitted and scored, and refreshing it now. */
export const predictionsApi = new Hono<AppEnv>()
  .get('/predictions', requires('read'), async (c) => {
    const last = await readState<RefreshRecord>(c.var.services.db, PREDICTIONS_STATE);
    return c.json({ last });
  })
  .post('/predictions/refresh', requires('workflows:publish'), async (c) => {
    const record = await refreshPredictionsOnce(c.var.services.runtime);
    if (!record)
      throw new AppError(
        409,
        'conflict',
        'the predictions are being refreshed now: ask again when it is done',
      );
    return c.json(record);
  });
