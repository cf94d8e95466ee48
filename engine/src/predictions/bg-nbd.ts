import { nelderMead } from './nelder-mead.ts';
import { hyp2f1, logAddExp, logGamma } from './special.ts';

/**
 * The BG/NBD model (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy Way"): while
 * alive a customer buys at rate λ ~ Gamma(r, α); after each purchase they drop out with
 * probability p ~ Beta(a, b). Pure.
 */
export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/**
 * One customer's purchase history in the model's terms, times in one unit (days in the engine):
 * `x` repeat purchases (orders after the first), `tx` from the first to the last purchase, `T`
 * from the first purchase to now.
 */
export interface History {
  x: number;
  tx: number;
  T: number;
}

/** The log-likelihood of one history (the paper's equation 6, in logs). */
export function logLikelihood(params: BgNbdParams, h: History): number {
  const { r, alpha, a, b } = params;
  const a1 = logGamma(r + h.x) - logGamma(r) + r * Math.log(alpha);
  const a2 = logGamma(a + b) + logGamma(b + h.x) - logGamma(b) - logGamma(a + b + h.x);
  const a3 = -(r + h.x) * Math.log(alpha + h.T);
  if (h.x === 0) return a1 + a2 + a3;
  const a4 = Math.log(a) - Math.log(b + h.x - 1) - (r + h.x) * Math.log(alpha + h.tx);
  return a1 + a2 + logAddExp(a3, a4);
}

/** The summed log-likelihood of many histories. */
export function totalLogLikelihood(params: BgNbdParams, histories: readonly History[]): number {
  let sum = 0;
  for (const h of histories) sum += logLikelihood(params, h);
  return sum;
}

export interface BgNbdFit {
  params: BgNbdParams;
  logLikelihood: number;
  iterations: number;
  converged: boolean;
}

/**
 * The maximum-likelihood parameters for these histories: Nelder–Mead over the logs of the four
 * parameters (so each stays positive), started from r = a = b = 1 and α at the mean time observed.
 */
export function fitBgNbd(histories: readonly History[]): BgNbdFit {
  if (histories.length === 0) throw new RangeError('fitting BG/NBD needs at least one history');
  const meanT = histories.reduce((s, h) => s + h.T, 0) / histories.length;
  const toParams = (v: number[]): BgNbdParams => ({
    r: Math.exp(v[0] as number),
    alpha: Math.exp(v[1] as number),
    a: Math.exp(v[2] as number),
    b: Math.exp(v[3] as number),
  });
  const n = histories.length;
  // The mean rather than the sum keeps the simplex's tolerance independent of the base's size.
  const objective = (v: number[]) => -totalLogLikelihood(toParams(v), histories) / n;
  const start = [0, Math.log(Math.max(meanT, 1e-3)), 0, 0];
  // A second start from the first one's end: the simplex can stall on the likelihood's ridges.
  let best = nelderMead(objective, start, { step: 1, maxIterations: 4000, tolerance: 1e-12 });
  best = nelderMead(objective, best.point, { step: 0.2, maxIterations: 4000, tolerance: 1e-12 });
  return {
    params: toParams(best.point),
    logLikelihood: -best.value * n,
    iterations: best.iterations,
    converged: best.converged,
  };
}

/** a/(b + x − 1) · ((α + T)/(α + tx))^(r + x): the odds, given the history, that the customer left. */
function oddsDropped(p: BgNbdParams, h: History): number {
  if (h.x === 0) return 0;
  return (p.a / (p.b + h.x - 1)) * Math.exp((p.r + h.x) * Math.log((p.alpha + h.T) / (p.alpha + h.tx)));
}

/** P(alive | x, tx, T): the probability that the customer has not dropped out (equation 11). */
export function probabilityAlive(p: BgNbdParams, h: History): number {
  return 1 / (1 + oddsDropped(p, h));
}

/**
 * E[Y(t) | x, tx, T]: the expected purchases in the next `t` (equation 10). Its 2F1 is taken
 * through Euler's transformation, 2F1(r+x, b+x; c; z) = (1−z)^(a−1−r−x) 2F1(a+b−1−r, a−1; c; z),
 * whose series has small numerators and a large denominator: it neither overflows for frequent
 * buyers nor needs many terms.
 */
export function expectedPurchases(p: BgNbdParams, h: History, t: number): number {
  if (t <= 0) return 0;
  // The closed form divides by a − 1; at a = 1 it is the limit, reached from a hair away.
  const a = Math.abs(p.a - 1) < 1e-7 ? 1 + 1e-7 : p.a;
  const c = a + p.b + h.x - 1;
  const z = t / (p.alpha + h.T + t);
  const tail = Math.exp((a - 1) * Math.log1p(-z)) * hyp2f1(a + p.b - 1 - p.r, a - 1, c, z);
  const whileAlive = (c / (a - 1)) * (1 - tail);
  return Math.max(0, whileAlive / (1 + oddsDropped({ ...p, a }, h)));
}
