import {
  type BgNbdParams,
  expectedPurchases,
  fitBgNbd,
  type History,
  probabilityAlive,
  type Variant,
} from './bg-nbd.ts';
import { expectedOrderValue, fitGammaGamma, type GammaGammaParams } from './gamma-gamma.ts';
import { DEFAULT_HORIZON, lifetimeValue, type ValueHorizon } from './lifetime-value.ts';

/** Which model made a prediction: stored with it, so a later change of model is visible. */
export const MODEL_VERSION = 'mbg-nbd+gamma-gamma/1';
/**
 * MBG/NBD rather than BG/NBD: churn is what people act on, and BG/NBD holds every customer who
 * bought only once alive for certain (churn 0 however long ago), which MBG/NBD does not.
 */
const VARIANT: Variant = 'mbg';

const DAY_MS = 86_400_000;
/** The window of `expected_orders_90d`, in days (the unit of the histories). */
export const NEXT_ORDERS_DAYS = 90;

/** One buyer's orders as the store summarises them. */
export interface OrderSummary {
  customerId: string;
  orders: number;
  revenue: number;
  firstOrderAt: Date;
  lastOrderAt: Date;
}

/** What the model says of one buyer. */
export interface Prediction {
  customerId: string;
  /** P(still active): 1 − churn. */
  pAlive: number;
  expectedOrders90d: number;
  /** Predicted value of the orders of the horizon (a year), discounted. */
  predictedValue: number;
}

/** The fitted model: both parameter sets, on how many buyers, and the value's horizon. */
export interface FittedModel {
  version: string;
  bgNbd: BgNbdParams;
  /** Null when no buyer has spent anything: values are then 0. */
  gammaGamma: GammaGammaParams | null;
  /** Buyers the parameters were fitted on (a sample of a large base). */
  fittedOn: number;
  logLikelihood: number;
  converged: boolean;
  horizon: ValueHorizon;
}

/**
 * A buyer's history in days from their first order: repeat orders, the first to the last order,
 * the first order to `now`. Orders after `now` (a clock set back) count as made now.
 */
export function historyOf(s: OrderSummary, now: Date): History {
  const first = s.firstOrderAt.getTime();
  const T = Math.max(0, (now.getTime() - first) / DAY_MS);
  const tx = Math.min(T, Math.max(0, (s.lastOrderAt.getTime() - first) / DAY_MS));
  return { x: Math.max(0, s.orders - 1), tx, T };
}

/** Below this many buyers the four BG/NBD parameters are guesses, not estimates. */
export const MIN_BUYERS = 20;

/** Why a base cannot be fitted yet, or null. */
export function cannotFit(summaries: readonly OrderSummary[], now: Date): string | null {
  if (summaries.length < MIN_BUYERS)
    return `it needs at least ${MIN_BUYERS} buyers (has ${summaries.length})`;
  if (!summaries.some((s) => s.orders > 1)) return 'no buyer has ordered twice yet';
  if (!summaries.some((s) => historyOf(s, now).T > 0)) return 'every first order is from this moment';
  return null;
}

/** Fits both models to these buyers' summaries (all of a small base, a sample of a large one). */
export function fitModel(
  summaries: readonly OrderSummary[],
  now: Date,
  horizon = DEFAULT_HORIZON,
): FittedModel {
  const reason = cannotFit(summaries, now);
  if (reason) throw new RangeError(`the purchase model cannot be fitted: ${reason}`);
  const bg = fitBgNbd(
    summaries.map((s) => historyOf(s, now)),
    VARIANT,
  );
  const spends = summaries.map((s) => ({ orders: s.orders, meanValue: s.revenue / s.orders }));
  const gg = spends.some((s) => s.meanValue > 0) ? fitGammaGamma(spends).params : null;
  return {
    version: MODEL_VERSION,
    bgNbd: bg.params,
    gammaGamma: gg,
    fittedOn: summaries.length,
    logLikelihood: bg.logLikelihood,
    converged: bg.converged,
    horizon,
  };
}

/** The model's predictions for one buyer at `now`. */
export function predict(model: FittedModel, s: OrderSummary, now: Date): Prediction {
  const h = historyOf(s, now);
  const orderValue = model.gammaGamma
    ? expectedOrderValue(model.gammaGamma, { orders: s.orders, meanValue: Math.max(0, s.revenue / s.orders) })
    : 0;
  return {
    customerId: s.customerId,
    pAlive: finite(probabilityAlive(model.bgNbd, h, VARIANT), 1),
    expectedOrders90d: finite(expectedPurchases(model.bgNbd, h, NEXT_ORDERS_DAYS, VARIANT), 0),
    predictedValue:
      orderValue > 0 ? finite(lifetimeValue(model.bgNbd, h, orderValue, model.horizon, VARIANT), 0) : 0,
  };
}

/**
 * A prediction the floating point could not make (parameters at the edge of their range) is
 * stored as the neutral value rather than NaN, which no condition would ever match or rule out.
 */
const finite = (value: number, otherwise: number) => (Number.isFinite(value) ? value : otherwise);
