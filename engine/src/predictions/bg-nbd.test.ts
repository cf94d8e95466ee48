import { describe, expect, it } from 'vitest';
import {
  type BgNbdParams,
  expectedPurchases,
  fitBgNbd,
  type History,
  logLikelihood,
  probabilityAlive,
  type Variant,
} from './bg-nbd.ts';
import { hyp2f1 } from './special.ts';
import { drawCustomers } from './synthetic.ts';

/** The parameters Fader, Hardie & Lee (2005) fitted to the CDNOW sample, in weeks. */
const CDNOW: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const SPEND = { p: 6.25, q: 3.74, gamma: 15.44 };

/**
 * Equation 10 as printed (no Euler transformation), and MBG/NBD's as Batislam et al. give it:
 * fine for the few purchases they can handle.
 */
function expectedAsPrinted(p: BgNbdParams, h: History, t: number, v: Variant): number {
  const k = v === 'mbg' ? 1 : 0;
  const c = p.a + p.b + h.x - 1 + k;
  const z = t / (p.alpha + h.T + t);
  const head =
    (c / (p.a - 1)) *
    (1 - ((p.alpha + h.T) / (p.alpha + h.T + t)) ** (p.r + h.x) * hyp2f1(p.r + h.x, p.b + h.x + k, c, z));
  const odds =
    h.x > 0 || k ? (p.a / (p.b + h.x - 1 + k)) * ((p.alpha + h.T) / (p.alpha + h.tx)) ** (p.r + h.x) : 0;
  return head / (1 + odds);
}

describe('BG/NBD', () => {
  it("gives the paper's conditional expectation for CDNOW customer 1", () => {
    // The paper's worked example: x = 2, tx = 30.43, T = 38.86 (weeks) → 1.226 purchases in the next 39.
    expect(expectedPurchases(CDNOW, { x: 2, tx: 30.43, T: 38.86 }, 39)).toBeCloseTo(1.226, 3);
  });

  it('agrees with the printed form of equation 10, and stays finite for frequent buyers', () => {
    for (const h of [
      { x: 0, tx: 0, T: 20 },
      { x: 1, tx: 3, T: 30 },
      { x: 7, tx: 29.43, T: 38.86 },
    ])
      for (const v of ['bg', 'mbg'] as const)
        expect(expectedPurchases(CDNOW, h, 52, v)).toBeCloseTo(expectedAsPrinted(CDNOW, h, 52, v), 9);
    const heavy = expectedPurchases(CDNOW, { x: 400, tx: 38.9, T: 39 }, 13);
    expect(Number.isFinite(heavy)).toBe(true);
    expect(heavy).toBeGreaterThan(100);
  });

  it('stays finite and continuous when the fit makes dropping out the same for everyone (large a and b)', () => {
    const h = { x: 3, tx: 200, T: 300 };
    // Past the switch to the printed form summed in logs ((a − 1)·z > 50): the same as printed.
    const moderate = { r: 1.2, alpha: 90, a: 150, b: 2000 };
    expect(expectedPurchases(moderate, h, 90, 'mbg')).toBeCloseTo(
      expectedAsPrinted(moderate, h, 90, 'mbg'),
      9,
    );
    // a = 1.6M, b = 24M (as fitted on the demo base): p ≈ 0.0625 for everyone; a Beta this narrow
    // predicts as a tenth of it does.
    const huge = expectedPurchases({ r: 1.2, alpha: 90, a: 1.6e6, b: 2.4e7 }, h, 90, 'mbg');
    const narrow = expectedPurchases({ r: 1.2, alpha: 90, a: 1.6e5, b: 2.4e6 }, h, 90, 'mbg');
    expect(Number.isFinite(huge)).toBe(true);
    expect(huge).toBeGreaterThan(0);
    expect(huge).toBeCloseTo(narrow, 3);
  });

  it('knows a customer without repeat purchases is alive, and one long silent probably is not', () => {
    expect(probabilityAlive(CDNOW, { x: 0, tx: 0, T: 38 })).toBe(1);
    const recent = probabilityAlive(CDNOW, { x: 5, tx: 37, T: 38 });
    const silent = probabilityAlive(CDNOW, { x: 5, tx: 5, T: 38 });
    expect(recent).toBeGreaterThan(0.8);
    expect(silent).toBeLessThan(0.2);
  });

  it('lets a one-time buyer be gone under MBG/NBD, the longer ago the likelier', () => {
    expect(probabilityAlive(CDNOW, { x: 0, tx: 0, T: 100 }, 'bg')).toBe(1);
    const fresh = probabilityAlive(CDNOW, { x: 0, tx: 0, T: 1 }, 'mbg');
    const old = probabilityAlive(CDNOW, { x: 0, tx: 0, T: 100 }, 'mbg');
    expect(fresh).toBeGreaterThan(old);
    expect(old).toBeLessThan(0.7);
  });

  it('recovers MBG/NBD parameters it drew customers from', () => {
    const truth = { r: 0.5, alpha: 10, a: 0.6, b: 2.5 };
    const customers = drawCustomers(truth, SPEND, 20_000, {
      seed: 3,
      spread: 52,
      minAge: 26,
      ahead: 26,
      variant: 'mbg',
    });
    const fit = fitBgNbd(
      customers.map((c) => c.history),
      'mbg',
    );
    expect(fit.converged).toBe(true);
    expect(fit.params.r / fit.params.alpha).toBeCloseTo(truth.r / truth.alpha, 2);
    for (const key of ['r', 'a', 'b'] as const) {
      expect(fit.params[key] / truth[key]).toBeGreaterThan(0.8);
      expect(fit.params[key] / truth[key]).toBeLessThan(1.2);
    }
    const predicted = customers.reduce((s, c) => s + expectedPurchases(fit.params, c.history, 26, 'mbg'), 0);
    const actual = customers.reduce((s, c) => s + c.later, 0);
    expect(Math.abs(predicted - actual) / actual).toBeLessThan(0.05);
  }, 60_000);

  it('stops at its bounds, and still predicts, when everyone drops out alike', () => {
    // p = 1/16 for every customer: the likelihood grows for ever as a and b grow together.
    const truth = { r: 1.2, alpha: 90, a: 1e6, b: 1.5e7 };
    const customers = drawCustomers(truth, SPEND, 10_000, {
      seed: 9,
      spread: 600,
      minAge: 30,
      ahead: 90,
      variant: 'mbg',
    });
    const fit = fitBgNbd(
      customers.map((c) => c.history),
      'mbg',
    );
    expect(fit.params.a).toBeLessThanOrEqual(Math.exp(10) * 1.0001);
    expect(fit.params.a / (fit.params.a + fit.params.b)).toBeGreaterThan(0.05);
    expect(fit.params.a / (fit.params.a + fit.params.b)).toBeLessThan(0.075);
    const predicted = customers.reduce((s, c) => s + expectedPurchases(fit.params, c.history, 90, 'mbg'), 0);
    const actual = customers.reduce((s, c) => s + c.later, 0);
    expect(Math.abs(predicted - actual) / actual).toBeLessThan(0.08);
  }, 60_000);

  it('has a log-likelihood that is a log-probability', () => {
    expect(logLikelihood(CDNOW, { x: 0, tx: 0, T: 38 })).toBeCloseTo(
      CDNOW.r * Math.log(CDNOW.alpha / (CDNOW.alpha + 38)),
      12,
    );
    expect(logLikelihood(CDNOW, { x: 3, tx: 20, T: 38 })).toBeLessThan(0);
  });

  it('recovers the parameters it drew customers from, and predicts their next purchases', () => {
    const customers = drawCustomers(CDNOW, SPEND, 20_000, { seed: 7, spread: 12, minAge: 27, ahead: 39 });
    const fit = fitBgNbd(customers.map((c) => c.history));
    expect(fit.converged).toBe(true);
    // r and α move together (their ratio is the mean rate): the ratio is tight, each one looser.
    expect(fit.params.r / fit.params.alpha).toBeCloseTo(CDNOW.r / CDNOW.alpha, 2);
    expect(fit.params.r).toBeGreaterThan(CDNOW.r * 0.85);
    expect(fit.params.r).toBeLessThan(CDNOW.r * 1.15);
    expect(fit.params.a).toBeGreaterThan(CDNOW.a * 0.7);
    expect(fit.params.a).toBeLessThan(CDNOW.a * 1.3);
    expect(fit.params.b).toBeGreaterThan(CDNOW.b * 0.7);
    expect(fit.params.b).toBeLessThan(CDNOW.b * 1.3);
    // The fitted maximum is at least as likely as the truth.
    const truth = customers.reduce((s, c) => s + logLikelihood(CDNOW, c.history), 0);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(truth);
    const predicted = customers.reduce((s, c) => s + expectedPurchases(fit.params, c.history, 39), 0);
    const actual = customers.reduce((s, c) => s + c.later, 0);
    expect(Math.abs(predicted - actual) / actual).toBeLessThan(0.05);
  }, 60_000);
});
