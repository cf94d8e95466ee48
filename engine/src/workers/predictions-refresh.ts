import { eventTriggers } from '../catalog/published-workflows.ts';
import { cannotFit, type FittedModel, fitModel, predict } from '../predictions/model.ts';
import { evaluateSegment } from '../segments/evaluate.ts';
import { whileHolding } from '../store/advisory-lock.ts';
import {
  countBuyers,
  type KeptPrediction,
  type OrderSummaryRow,
  orderSummaryPage,
  removeStalePredictions,
  sampleOrderSummaries,
  writePredictions,
} from '../store/customer-predictions.ts';
import { readState, writeState } from '../store/engine-state.ts';
import { type IncomingEvent, storeEvents, toRows } from '../store/ingest.ts';
import { listSegments } from '../store/segments.ts';
import { PREDICTED } from '../triggers/engine-events.ts';
import { enteredPrediction, type PredictedValues } from '../triggers/kinds/predicted.ts';
import type { PredictedCondition } from '../triggers/types.ts';
import type { RuntimeDeps } from './deps.ts';
import { every } from './every.ts';
import { RECOMPUTED } from './time-triggers.ts';

const LOCK = 'tend-predictions';
/** Where the last refresh is recorded: when, on how many buyers, the parameters. */
export const PREDICTIONS_STATE = 'predictions.refreshed';
/** Buyers scored and written per transaction. */
const PAGE = 5000;
/**
 * Buyers the parameters are fitted on. Four parameters of a population are well estimated from
 * tens of thousands of customers; a larger base is fitted on a random sample of this size (every
 * buyer is still scored), so a night's fit takes seconds at any size.
 */
export const FIT_SAMPLE = 50_000;
/** How often a process looks whether a refresh is due. */
const LOOK_EVERY_MS = 60_000;

/** What the last refresh did (kept in engine_state, shown by `GET /api/predictions`). */
export interface RefreshRecord {
  at: string;
  buyers: number;
  /** Why nothing was fitted (too few buyers, no repeat buyer yet), or null. */
  skipped: string | null;
  model: Omit<FittedModel, 'horizon'> | null;
  /** Whether the parameters were fitted on a sample (see FIT_SAMPLE). */
  sampled: boolean;
  scored: number;
  /** `customer.predicted` events recorded: customers moved into a published trigger's condition. */
  entered: number;
  fitMs: number;
  tookMs: number;
}

type Deps = Pick<RuntimeDeps, 'db' | 'boss' | 'customers' | 'log'>;

/**
 * The nightly pass: fits BG/NBD and Gamma-Gamma on the buyers (a sample of a large base), scores
 * every buyer a page at a time, records `customer.predicted` for those it moves into a published
 * `predicted:` trigger's condition (in the page's transaction), drops predictions of customers
 * who are no longer buyers, and re-decides the segments whose condition reads predictions.
 */
export async function refreshPredictions(deps: Deps, now: Date): Promise<RefreshRecord> {
  const started = performance.now();
  const buyers = await countBuyers(deps.db);
  const sampled = buyers > FIT_SAMPLE;
  const summaries = sampled
    ? await sampleOrderSummaries(deps.db, FIT_SAMPLE, buyers, dayNumber(now))
    : await allSummaries(deps);
  const record: RefreshRecord = {
    at: now.toISOString(),
    buyers,
    skipped: cannotFit(summaries, now),
    model: null,
    sampled,
    scored: 0,
    entered: 0,
    fitMs: 0,
    tookMs: 0,
  };
  if (!record.skipped) {
    const fitStarted = performance.now();
    const model = fitModel(summaries, now);
    record.fitMs = Math.round(performance.now() - fitStarted);
    const { horizon: _, ...kept } = model;
    record.model = kept;
    const conditions = await publishedConditions(deps);
    let after = '';
    for (;;) {
      const page = await orderSummaryPage(deps.db, after, PAGE);
      if (page.length === 0) break;
      after = page.at(-1)?.customerId as string;
      const written = await scorePage(deps, model, conditions, page, now);
      record.scored += page.length;
      record.entered += written;
    }
    await removeStalePredictions(deps.db, now);
    for (const segment of await listSegments(deps.db))
      if (segment.definition.includes('predicted'))
        await evaluateSegment(deps.db, deps.boss, deps.customers, segment, now);
  }
  record.tookMs = Math.round(performance.now() - started);
  await writeState(deps.db, PREDICTIONS_STATE, record, now);
  return record;
}

async function allSummaries(deps: Deps): Promise<OrderSummaryRow[]> {
  const out: OrderSummaryRow[] = [];
  for (;;) {
    const page = await orderSummaryPage(deps.db, out.at(-1)?.customerId ?? '', PAGE);
    if (page.length === 0) return out;
    out.push(...page);
  }
}

/** The conditions of the published journeys that start on `predicted:`. */
async function publishedConditions(deps: Deps): Promise<PredictedCondition[]> {
  const published = (await eventTriggers(deps.db)).get(PREDICTED) ?? [];
  return published.flatMap((w) =>
    w.compiled.trigger.kind === 'predicted' ? [w.compiled.trigger.predicted] : [],
  );
}

const valuesOf = (p: KeptPrediction): PredictedValues => ({
  churn: 1 - p.pAlive,
  aliveProbability: p.pAlive,
  orders90d: p.expectedOrders90d,
  value: p.predictedValue,
});

/** Scores one page and writes it with its `customer.predicted` events; returns how many events. */
async function scorePage(
  deps: Deps,
  model: FittedModel,
  conditions: PredictedCondition[],
  page: OrderSummaryRow[],
  now: Date,
): Promise<number> {
  const predictions = page.map((s) => predict(model, s, now));
  const events: IncomingEvent[] = [];
  for (let i = 0; i < page.length; i++) {
    const p = predictions[i] as (typeof predictions)[number];
    const kept = page[i]?.before ?? null;
    const before = kept ? valuesOf(kept) : null;
    const after = valuesOf(p);
    if (conditions.some((c) => enteredPrediction(c, before, after)))
      events.push({ customerId: p.customerId, type: PREDICTED, data: { after, before } });
  }
  await deps.db.transaction().execute(async (trx) => {
    await writePredictions(trx, predictions, now, model.version);
    if (events.length > 0) await storeEvents(trx, deps.boss, toRows(events, now), now);
  });
  return events.length;
}

/** Days since the epoch: the sample's seed, so one day's refreshes draw the same buyers. */
const dayNumber = (now: Date) => Math.floor(now.getTime() / 86_400_000);

/**
 * Refreshes the predictions unless another process is doing it (advisory lock): the record,
 * or null when the lock was taken.
 */
export async function refreshPredictionsOnce(
  deps: Deps & Pick<RuntimeDeps, 'now'>,
): Promise<RefreshRecord | null> {
  return whileHolding(deps.db, LOCK, () => refreshPredictions(deps, deps.now()));
}

/**
 * Refreshes the predictions after each scheduled lifecycle recompute (the nightly pass of
 * workflows/lifecycle.yaml's `recompute` cron), in one process at a time: every process looks
 * once a minute, the one holding the advisory lock does it.
 */
export function startPredictionRefresh(deps: RuntimeDeps): { stop(): Promise<void> } {
  return every(
    LOOK_EVERY_MS,
    async () => {
      const recomputed = await readState<{ at: string }>(deps.db, RECOMPUTED);
      const last = await readState<{ at: string }>(deps.db, PREDICTIONS_STATE);
      if (!recomputed || (last && Date.parse(last.at) >= Date.parse(recomputed.at))) return;
      const r = await refreshPredictionsOnce(deps);
      if (!r) return;
      deps.log.info(
        r.skipped
          ? `predictions not refreshed: ${r.skipped}`
          : `predictions refreshed: ${r.scored} buyers in ${r.tookMs} ms, ${r.entered} entered predicted triggers`,
      );
    },
    (error) => deps.log.warn('refreshing predictions failed', { error }),
  );
}
