import { nelderMead } from './nelder-mead.ts';
import { logGamma } from './special.ts';

/**
 * The Gamma-Gamma model of spend (Fader, Hardie & Lee 2005, "RFM and CLV"; Fader & Hardie's
 * note "The Gamma-Gamma Model of Monetary Value"): a customer's order values are Gamma(p, ν),
 * and ν varies across customers as Gamma(q, γ). Independent of how often they buy. Pure.
 */
export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

/** A customer's orders as the spend model sees them: how many, and their mean value (> 0). */
export interface Spend {
  orders: number;
  meanValue: number;
}

/** The log-likelihood of one customer's mean order value (the note's equation 3, in logs). */
export function spendLogLikelihood(params: GammaGammaParams, s: Spend): number {
  const { p, q, gamma } = params;
  const px = p * s.orders;
  return (
    logGamma(px + q) -
    logGamma(px) -
    logGamma(q) +
    q * Math.log(gamma) +
    (px - 1) * Math.log(s.meanValue) +
    px * Math.log(s.orders) -
    (px + q) * Math.log(gamma + s.orders * s.meanValue)
  );
}

export interface GammaGammaFit {
  params: GammaGammaParams;
  logLikelihood: number;
  converged: boolean;
}

/** The maximum-likelihood parameters (Nelder–Mead over their logs); only positive spends count. */
export function fitGammaGamma(spends: readonly Spend[]): GammaGammaFit {
  const usable = spends.filter((s) => s.orders > 0 && s.meanValue > 0);
  if (usable.length === 0) throw new RangeError('fitting Gamma-Gamma needs at least one customer who spent');
  const toParams = (v: number[]): GammaGammaParams => ({
    p: Math.exp(v[0] as number),
    q: Math.exp(v[1] as number),
    gamma: Math.exp(v[2] as number),
  });
  const n = usable.length;
  const objective = (v: number[]) => {
    // Within e^±15 (γ is in money, which can be large): beyond, the likelihood only drifts.
    if (v.some((x) => Math.abs(x) > 15)) return Number.POSITIVE_INFINITY;
    const params = toParams(v);
    let sum = 0;
    for (const s of usable) sum += spendLogLikelihood(params, s);
    return -sum / n;
  };
  const mean = usable.reduce((s, u) => s + u.meanValue, 0) / n;
  // p = 1 and q = 2 put the population's mean at γ: start there.
  const limits = { maxIterations: 2000, tolerance: 1e-11 };
  let best = nelderMead(objective, [0, Math.log(2), Math.log(mean)], { step: 1, ...limits });
  best = nelderMead(objective, best.point, { step: 0.2, ...limits });
  return { params: toParams(best.point), logLikelihood: -best.value * n, converged: best.converged };
}

/**
 * E[M | orders, mean value]: the expected value of this customer's future orders, their own mean
 * shrunk towards the population's pγ/(q − 1). Without orders (or when q ≤ 1, where the population
 * mean is infinite) it is their own mean, or 0.
 */
export function expectedOrderValue(params: GammaGammaParams, s: Spend): number {
  const { p, q, gamma } = params;
  if (q <= 1) return s.orders > 0 ? s.meanValue : 0;
  const population = (p * gamma) / (q - 1);
  if (s.orders <= 0 || !(s.meanValue > 0)) return population;
  const weight = (q - 1) / (p * s.orders + q - 1);
  return weight * population + (1 - weight) * s.meanValue;
}
