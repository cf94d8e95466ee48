import { seeded } from '../demo/random.ts';
import type { BgNbdParams, History, Variant } from './bg-nbd.ts';
import type { GammaGammaParams, Spend } from './gamma-gamma.ts';

/** A customer drawn from the models: their history, their spend, and what happened next. */
export interface SyntheticCustomer {
  history: History;
  spend: Spend;
  /** Purchases in the `ahead` after T (the held-back period). */
  later: number;
}

/**
 * Customers drawn from BG/NBD and Gamma-Gamma with these parameters (seeded: the same seed gives
 * the same customers), each first buying at a time spread evenly over `spread` before now,
 * followed for `ahead` after now. For the model's tests and the fitting benchmark.
 */
export function drawCustomers(
  bg: BgNbdParams,
  gg: GammaGammaParams,
  count: number,
  opts: { seed: number; spread: number; minAge?: number; ahead?: number; variant?: Variant },
): SyntheticCustomer[] {
  const rnd = seeded(opts.seed);
  // Marsaglia–Tsang needs a shape of at least 1; below it, Gamma(k) = Gamma(k + 1) · U^(1/k).
  const standard = (shape: number) =>
    shape >= 1 ? rnd.gamma(shape) : rnd.gamma(shape + 1) * (1 - rnd.next()) ** (1 / shape);
  const gamma = (shape: number, rate: number) => standard(shape) / rate;
  const minAge = opts.minAge ?? 0;
  const ahead = opts.ahead ?? 0;
  const out: SyntheticCustomer[] = [];
  for (let i = 0; i < count; i++) {
    const T = minAge + rnd.next() * opts.spread;
    const lambda = gamma(bg.r, bg.alpha);
    const x1 = standard(bg.a);
    const p = x1 / (x1 + standard(bg.b));
    const nu = gamma(gg.q, gg.gamma);
    let x = 0;
    let tx = 0;
    let later = 0;
    let t = 0;
    // Purchases of a Poisson process at rate λ; after each repeat one (MBG/NBD: also after the
    // first) the customer leaves with chance p.
    const goneAtOnce = opts.variant === 'mbg' && rnd.next() < p;
    while (!goneAtOnce) {
      t += -Math.log(1 - rnd.next()) / lambda;
      if (t > T + ahead) break;
      if (t <= T) {
        x += 1;
        tx = t;
      } else later += 1;
      if (rnd.next() < p) break;
    }
    let total = 0;
    for (let k = 0; k <= x; k++) total += gamma(gg.p, nu);
    out.push({ history: { x, tx, T }, spend: { orders: x + 1, meanValue: total / (x + 1) }, later });
  }
  return out;
}
