/**
 * The special functions the purchase models need, in double precision: the log of the gamma
 * function and Gauss's hypergeometric series 2F1. Pure.
 */

// Lanczos coefficients (g = 7, n = 9): about 15 significant digits for positive arguments.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  // Below 0.5 the series loses accuracy: Γ(x) = Γ(x + 1) / x.
  if (x < 0.5) return logGamma(x + 1) - Math.log(x);
  const z = x - 1;
  let sum = LANCZOS[0] as number;
  for (let i = 1; i < 9; i++) sum += (LANCZOS[i] as number) / (z + i);
  const t = z + 7.5;
  return HALF_LOG_TWO_PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Terms the series may take before it gives up (z is then too close to 1 for the sum to settle). */
const MAX_TERMS = 20_000;

/**
 * Gauss's hypergeometric function 2F1(a, b; c; z) for 0 ≤ z < 1 by its power series, summed
 * until a term no longer changes the sum. Callers keep `a` and `b` small (see the Euler
 * transformation in bg-nbd.ts), so the terms shrink from the start and nothing overflows.
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (z < 0 || z >= 1) throw new RangeError(`hyp2f1 needs 0 ≤ z < 1, got ${z}`);
  let term = 1;
  let sum = 1;
  for (let n = 0; n < MAX_TERMS; n++) {
    term *= (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    sum += term;
    if (Math.abs(term) <= 1e-15 * Math.abs(sum)) return sum;
  }
  return sum;
}

/**
 * ln 2F1(a, b; c; z) for positive a, b, c and 0 ≤ z < 1, summed in logs: every term is positive,
 * so a series whose terms climb far beyond the double range before they fall (large a·z) is
 * still summed exactly, at the cost of more terms.
 */
export function logHyp2f1(a: number, b: number, c: number, z: number): number {
  if (!(a > 0 && b > 0 && c > 0)) throw new RangeError('logHyp2f1 needs positive a, b and c');
  if (z < 0 || z >= 1) throw new RangeError(`logHyp2f1 needs 0 ≤ z < 1, got ${z}`);
  if (z === 0) return 0;
  const logZ = Math.log(z);
  let logTerm = 0;
  let logSum = 0;
  for (let n = 0; n < MAX_TERMS; n++) {
    const step = Math.log(((a + n) * (b + n)) / ((c + n) * (n + 1))) + logZ;
    logTerm += step;
    logSum = logAddExp(logSum, logTerm);
    // Past the peak, the ratio of terms only falls: the rest is below a geometric tail, and
    // when that cannot change the sum, done.
    if (step < 0 && logTerm + step - Math.log1p(-Math.exp(step)) < logSum - 36) return logSum;
  }
  return logSum;
}

/** ln(e^x + e^y) without overflow. */
export function logAddExp(x: number, y: number): number {
  const m = Math.max(x, y);
  if (m === Number.NEGATIVE_INFINITY) return m;
  return m + Math.log(Math.exp(x - m) + Math.exp(y - m));
}
