import { nelderMead } from './nelder-mead.ts';
import { hyp2f1, logAddExp, logGamma, logHyp2f1 } from './special.ts';

/**
 * The BG/NBD model (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy Way"): while
 * alive a customer buys at rate λ ~ Gamma(r, α); after each repeat purchase they drop out with
 * probability p ~ Beta(a, b). Its modification MBG/NBD (Batislam, Denizel & Filiztekin 2007)
 * lets them drop out right after the first purchase too, so a customer who bought once long ago
 * is probably gone (BG/NBD holds them alive for certain). Both share the formulas below with the
 * dropout chances counted from one more purchase. Pure.
 */
export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** `bg`: BG/NBD as published; `mbg`: MBG/NBD, dropping out possible after the first purchase. */
export type Variant = 'bg' | 'mbg';

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

/** Purchases after which dropping out was possible, beyond the repeat purchases. */
const extra = (v: Variant) => (v === 'mbg' ? 1 : 0);

/**
 * ln of the odds, given the history, that the customer has dropped out:
 * a/(b + x + k − 1) · ((α + T)/(α + tx))^(r + x), k = 1 for MBG/NBD; −∞ (no chance) for a
 * BG/NBD customer without repeat purchases.
 */
function logOddsDropped(p: BgNbdParams, h: History, v: Variant): number {
  if (h.x === 0 && v === 'bg') return Number.NEGATIVE_INFINITY;
  return (
    Math.log(p.a) -
    Math.log(p.b + h.x + extra(v) - 1) +
    (p.r + h.x) * Math.log((p.alpha + h.T) / (p.alpha + h.tx))
  );
}

/** The log-likelihood of one history (BG/NBD: the paper's equation 6, in logs). */
export function logLikelihood(params: BgNbdParams, h: History, v: Variant = 'bg'): number {
  const { r, alpha, a, b } = params;
  const k = extra(v);
  const a1 = logGamma(r + h.x) - logGamma(r) + r * Math.log(alpha);
  const a2 = logGamma(a + b) + logGamma(b + h.x + k) - logGamma(b) - logGamma(a + b + h.x + k);
  const a3 = -(r + h.x) * Math.log(alpha + h.T);
  return a1 + a2 + a3 + logAddExp(0, logOddsDropped(params, h, v));
}

/** The summed log-likelihood of many histories. */
export function totalLogLikelihood(
  params: BgNbdParams,
  histories: readonly History[],
  v: Variant = 'bg',
): number {
  return likelihoodOf(histories, v)(params);
}

/**
 * The summed log-likelihood as a function of the parameters, for the optimiser: the gamma
 * function terms depend on the history only through x, so they are computed once per distinct
 * x (a few hundred) and weighted by how many customers have it; only the terms in tx and T are
 * per customer.
 */
function likelihoodOf(histories: readonly History[], v: Variant): (p: BgNbdParams) => number {
  const k = extra(v);
  const counts = new Map<number, number>();
  for (const h of histories) counts.set(h.x, (counts.get(h.x) ?? 0) + 1);
  const xs = [...counts.keys()];
  const n = histories.length;
  const x = Float64Array.from(histories, (h) => h.x);
  const tx = Float64Array.from(histories, (h) => h.tx);
  const T = Float64Array.from(histories, (h) => h.T);
  return ({ r, alpha, a, b }) => {
    let sum = n * (r * Math.log(alpha) - logGamma(r) + logGamma(a + b) - logGamma(b));
    for (const xi of xs)
      sum +=
        (counts.get(xi) as number) * (logGamma(r + xi) + logGamma(b + xi + k) - logGamma(a + b + xi + k));
    const logA = Math.log(a);
    for (let i = 0; i < n; i++) {
      const xi = x[i] as number;
      const ti = T[i] as number;
      const rx = r + xi;
      sum -= rx * Math.log(alpha + ti);
      if (xi === 0 && k === 0) continue;
      const logOdds =
        logA - Math.log(b + xi + k - 1) + rx * Math.log((alpha + ti) / (alpha + (tx[i] as number)));
      sum += logOdds > 0 ? logOdds + Math.log1p(Math.exp(-logOdds)) : Math.log1p(Math.exp(logOdds));
    }
    return sum;
  };
}

/**
 * Parameters are fitted within e^±10 (4.5e-5 to 22,026): a Beta(a, b) with a + b in the
 * thousands is already one dropout chance for everyone, and predicts as a larger one does.
 */
const LOG_BOUND = 10;

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
export function fitBgNbd(histories: readonly History[], v: Variant = 'bg'): BgNbdFit {
  if (histories.length === 0) throw new RangeError('fitting BG/NBD needs at least one history');
  const meanT = histories.reduce((s, h) => s + h.T, 0) / histories.length;
  const toParams = (x: number[]): BgNbdParams => ({
    r: Math.exp(x[0] as number),
    alpha: Math.exp(x[1] as number),
    a: Math.exp(x[2] as number),
    b: Math.exp(x[3] as number),
  });
  const n = histories.length;
  const total = likelihoodOf(histories, v);
  // The mean rather than the sum keeps the simplex's tolerance independent of the base's size.
  // Each parameter stays within e^±LOG_BOUND: where every customer drops out alike, the
  // likelihood keeps rising as a and b grow together without end, and the simplex would follow.
  const objective = (x: number[]) =>
    x.every((v) => Math.abs(v) <= LOG_BOUND) ? -total(toParams(x)) / n : Number.POSITIVE_INFINITY;
  const start = [0, Math.log(Math.max(meanT, 1e-3)), 0, 0];
  // A second start from the first one's end: the simplex can stall on the likelihood's ridges.
  let best = nelderMead(objective, start, { step: 1, maxIterations: 2000, tolerance: 1e-11 });
  best = nelderMead(objective, best.point, { step: 0.2, maxIterations: 2000, tolerance: 1e-11 });
  return {
    params: toParams(best.point),
    logLikelihood: -best.value * n,
    iterations: best.iterations,
    converged: best.converged,
  };
}

/** P(alive | x, tx, T): the probability that the customer has not dropped out (BG/NBD eq. 11). */
export function probabilityAlive(p: BgNbdParams, h: History, v: Variant = 'bg'): number {
  return 1 / (1 + Math.exp(logOddsDropped(p, h, v)));
}

/**
 * (1 − z)^(r + x) · 2F1(r + x, b + x + k; c; z), the hypergeometric part of E[Y(t)]. While
 * (a − 1)·z is small it goes through Euler's transformation, (1 − z)^(a − 1) 2F1(c − r − x, a − 1;
 * c; z), whose series has small numerators and a large denominator: it neither overflows for
 * frequent buyers nor needs many terms. A large `a` (the fit finds dropping out about equally
 * likely for everyone) would make that series climb past the double range: the printed form is
 * then summed in logs, where every term is positive.
 */
function hypergeometricPart(p: BgNbdParams, a: number, h: History, k: number, z: number): number {
  const c = a + p.b + h.x + k - 1;
  if ((a - 1) * z <= 50) return Math.exp((a - 1) * Math.log1p(-z)) * hyp2f1(c - p.r - h.x, a - 1, c, z);
  return Math.exp((p.r + h.x) * Math.log1p(-z) + logHyp2f1(p.r + h.x, p.b + h.x + k, c, z));
}

/** E[Y(t) | x, tx, T]: the expected purchases in the next `t` (BG/NBD eq. 10). */
export function expectedPurchases(p: BgNbdParams, h: History, t: number, v: Variant = 'bg'): number {
  if (t <= 0) return 0;
  // The closed form divides by a − 1; at a = 1 it is the limit, reached from a hair away.
  const a = Math.abs(p.a - 1) < 1e-7 ? 1 + 1e-7 : p.a;
  const k = extra(v);
  const c = a + p.b + h.x + k - 1;
  const z = t / (p.alpha + h.T + t);
  const whileAlive = (c / (a - 1)) * (1 - hypergeometricPart(p, a, h, k, z));
  return Math.max(0, whileAlive * probabilityAlive({ ...p, a }, h, v));
}
