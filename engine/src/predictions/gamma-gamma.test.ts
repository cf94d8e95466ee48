import { describe, expect, it } from 'vitest';
import { expectedOrderValue, fitGammaGamma, spendLogLikelihood } from './gamma-gamma.ts';
import { drawCustomers } from './synthetic.ts';

/** Spend parameters near those reported for the CDNOW sample (dollars); here only drawn from. */
const SPEND = { p: 6.25, q: 3.74, gamma: 15.44 };

describe('Gamma-Gamma', () => {
  it("shrinks a customer's mean towards the population's", () => {
    const population = (SPEND.p * SPEND.gamma) / (SPEND.q - 1);
    expect(expectedOrderValue(SPEND, { orders: 0, meanValue: 0 })).toBeCloseTo(population, 10);
    const one = expectedOrderValue(SPEND, { orders: 1, meanValue: 100 });
    const many = expectedOrderValue(SPEND, { orders: 20, meanValue: 100 });
    expect(one).toBeGreaterThan(population);
    expect(one).toBeLessThan(many);
    expect(many).toBeLessThan(100);
  });

  it('recovers the parameters it drew spends from', () => {
    const customers = drawCustomers({ r: 1, alpha: 5, a: 1, b: 3 }, SPEND, 20_000, { seed: 11, spread: 30 });
    const fit = fitGammaGamma(customers.map((c) => c.spend));
    expect(fit.converged).toBe(true);
    // The population mean order value is what CLV uses: it is tight; p, q and γ each looser.
    const mean = (p: typeof SPEND) => (p.p * p.gamma) / (p.q - 1);
    expect(mean(fit.params) / mean(SPEND)).toBeGreaterThan(0.97);
    expect(mean(fit.params) / mean(SPEND)).toBeLessThan(1.03);
    expect(fit.params.p / SPEND.p).toBeGreaterThan(0.85);
    expect(fit.params.p / SPEND.p).toBeLessThan(1.15);
    expect(fit.params.q / SPEND.q).toBeGreaterThan(0.8);
    expect(fit.params.q / SPEND.q).toBeLessThan(1.2);
    const truth = customers.reduce((s, c) => s + spendLogLikelihood(SPEND, c.spend), 0);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(truth);
  }, 60_000);

  it('refuses to fit without anyone who spent', () => {
    expect(() => fitGammaGamma([{ orders: 2, meanValue: 0 }])).toThrow(RangeError);
  });
});
