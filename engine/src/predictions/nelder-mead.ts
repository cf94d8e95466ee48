/** The downhill simplex method (Nelder & Mead 1965) with the usual coefficients. Pure. */

export interface Minimum {
  point: number[];
  value: number;
  iterations: number;
  converged: boolean;
}

export interface NelderMeadOptions {
  /** Initial step along each axis (the simplex's size). */
  step?: number;
  maxIterations?: number;
  /** Stop when the simplex's values differ by less than this. */
  tolerance?: number;
}

/**
 * Minimises `f` from `start`. Non-finite values count as +∞, so a function can refuse a region
 * (parameters where the likelihood is not defined) by returning NaN.
 */
export function nelderMead(
  f: (x: number[]) => number,
  start: number[],
  opts: NelderMeadOptions = {},
): Minimum {
  const n = start.length;
  const step = opts.step ?? 0.5;
  const maxIterations = opts.maxIterations ?? 2000 * n;
  const tolerance = opts.tolerance ?? 1e-10;
  const value = (x: number[]) => {
    const v = f(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };
  let simplex = [start, ...start.map((_, i) => start.map((s, j) => (i === j ? s + step : s)))].map((p) => ({
    p,
    v: value(p),
  }));
  const along = (from: number[], to: number[], t: number) =>
    from.map((x, i) => x + t * ((to[i] as number) - x));
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    simplex.sort((x, y) => x.v - y.v);
    const best = simplex[0] as { p: number[]; v: number };
    const worst = simplex[n] as { p: number[]; v: number };
    const second = simplex[n - 1] as { p: number[]; v: number };
    if (Math.abs(worst.v - best.v) <= tolerance * (Math.abs(best.v) + tolerance)) break;
    const centroid = Array.from(
      { length: n },
      (_, i) => simplex.slice(0, n).reduce((s, q) => s + (q.p[i] as number), 0) / n,
    );
    const reflected = along(centroid, worst.p, -1);
    const rv = value(reflected);
    if (rv < best.v) {
      const expanded = along(centroid, worst.p, -2);
      const ev = value(expanded);
      simplex[n] = ev < rv ? { p: expanded, v: ev } : { p: reflected, v: rv };
    } else if (rv < second.v) {
      simplex[n] = { p: reflected, v: rv };
    } else {
      const outside = rv < worst.v;
      const contracted = along(centroid, outside ? reflected : worst.p, 0.5);
      const cv = value(contracted);
      if (cv < (outside ? rv : worst.v)) simplex[n] = { p: contracted, v: cv };
      else
        simplex = simplex.map((q, i) => {
          if (i === 0) return q;
          const p = along(best.p, q.p, 0.5);
          return { p, v: value(p) };
        });
    }
  }
  simplex.sort((x, y) => x.v - y.v);
  const best = simplex[0] as { p: number[]; v: number };
  return { point: best.p, value: best.v, iterations, converged: iterations < maxIterations };
}
