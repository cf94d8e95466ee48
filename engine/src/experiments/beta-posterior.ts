/**
 * Beta-Binomial posteriors of conversion rates: each arm's rate is
 * Beta(1 + converted, 1 + entered − converted) (a uniform prior). The probability that an arm is
 * best, P(pᵢ > pⱼ for all j ≠ i) = ∫ fᵢ(x) Πⱼ Fⱼ(x) dx, and the equal-tailed credible intervals are
 * read from densities on a grid: exact up to the grid's resolution, the same on every call (no
 * random draws), and fast enough to be asked after every few entrants in the error simulation.
 */

/** Entrants whose window has closed, and how many of them converted. */
export interface ArmCounts {
  entered: number;
  converted: number;
}

export interface ArmPosterior {
  /** The posterior mean of the conversion rate. */
  mean: number;
  /** The 95 % equal-tailed credible interval of the rate. */
  low: number;
  high: number;
  /** The probability that this arm's rate is the highest. */
  pBest: number;
}

/** Cells of a grid: P(best) and the interval ends move by less than 0.001 with more. */
const GRID = 400;
/** Posterior standard deviations a grid reaches beyond a mean. */
const REACH = 9;

type Shape = { a: number; b: number };

const shapeOf = ({ entered, converted }: ArmCounts): Shape => ({
  a: 1 + converted,
  b: 1 + entered - converted,
});

/** The posterior of every arm: mean, 95 % interval and probability to be best. */
export function posteriors(arms: readonly ArmCounts[]): ArmPosterior[] {
  const best = probabilitiesToBeBest(arms);
  return arms.map((counts, i) => {
    const shape = shapeOf(counts);
    // The interval on the arm's own grid: a shared one may be wide when arms differ a lot.
    const own = gridOver([shape]);
    const cdf = cdfOf(massOn(own, shape));
    return {
      mean: shape.a / (shape.a + shape.b),
      low: quantile(own, cdf, 0.025),
      high: quantile(own, cdf, 0.975),
      pBest: best[i] as number,
    };
  });
}

/** For each arm, the probability that its rate is the highest (on one grid shared by all). */
export function probabilitiesToBeBest(arms: readonly ArmCounts[]): number[] {
  const shapes = arms.map(shapeOf);
  const shared = gridOver(shapes);
  const masses = shapes.map((s) => massOn(shared, s));
  const cdfs = masses.map(cdfOf);
  return shapes.map((_, i) => {
    const mass = masses[i] as Float64Array;
    let pBest = 0;
    for (let k = 0; k < GRID; k++) {
      let below = 1;
      for (let j = 0; j < shapes.length; j++) if (j !== i) below *= (cdfs[j] as Float64Array)[k] as number;
      pBest += (mass[k] as number) * below;
    }
    return pBest;
  });
}

type Grid = { xs: Float64Array; step: number };

function gridOver(shapes: Shape[]): Grid {
  let lo = 1;
  let hi = 0;
  for (const { a, b } of shapes) {
    const mean = a / (a + b);
    const sd = Math.sqrt((a * b) / ((a + b) ** 2 * (a + b + 1)));
    lo = Math.min(lo, mean - REACH * sd);
    hi = Math.max(hi, mean + REACH * sd);
  }
  lo = Math.max(lo, 0);
  hi = Math.min(hi, 1);
  const step = (hi - lo) / GRID;
  return { xs: Float64Array.from({ length: GRID }, (_, k) => lo + (k + 0.5) * step), step };
}

/** The posterior's mass in each cell, normalised on the grid (no Beta function needed). */
function massOn({ xs }: Grid, { a, b }: Shape): Float64Array {
  const logs = xs.map((x) => (a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x));
  let top = Number.NEGATIVE_INFINITY;
  for (const l of logs) top = Math.max(top, l);
  const mass = logs.map((l) => Math.exp(l - top));
  const total = mass.reduce((s, v) => s + v, 0);
  return mass.map((v) => v / total);
}

/** The CDF at each cell's middle. */
function cdfOf(mass: Float64Array): Float64Array {
  const cdf = new Float64Array(mass.length);
  let below = 0;
  for (let k = 0; k < mass.length; k++) {
    cdf[k] = below + (mass[k] as number) / 2;
    below += mass[k] as number;
  }
  return cdf;
}

/** The rate where the grid's CDF crosses `p` (linear between cell middles). */
function quantile({ xs, step }: Grid, cdf: Float64Array, p: number): number {
  for (let k = 0; k < cdf.length; k++) {
    const c = cdf[k] as number;
    if (c < p) continue;
    if (k === 0) return Math.max(0, (xs[0] as number) - step / 2);
    const before = cdf[k - 1] as number;
    return (xs[k - 1] as number) + ((p - before) / (c - before)) * step;
  }
  return Math.min(1, (xs[xs.length - 1] as number) + step / 2);
}
