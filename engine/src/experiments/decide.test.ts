import { describe, expect, it } from 'vitest';
import { seeded } from '../demo/random.ts';
import { posteriors, probabilitiesToBeBest } from './beta-posterior.ts';
import { assess, decide, METHOD } from './decide.ts';

/** Runs one simulated experiment, looking after every `look` entrants per arm, as the worker would. */
function simulate(rates: number[], seed: number, look: number) {
  const rnd = seeded(seed);
  const arms = rates.map(() => ({ entered: 0, converted: 0 }));
  for (let n = 1; n <= METHOD.maxPerArm; n++) {
    arms.forEach((a, i) => {
      a.entered += 1;
      if (rnd.next() < (rates[i] as number)) a.converted += 1;
    });
    if (n % look !== 0 && n !== METHOD.maxPerArm) continue;
    const verdict = decide(arms);
    if (verdict.kind !== 'undecided') return { verdict, entered: n };
  }
  throw new Error('the stopping rule must end every experiment');
}

describe('Beta-Binomial posteriors', () => {
  it('gives the 95 % interval of a Beta posterior and sums P(best) to one', () => {
    // Beta(51, 951): mean 0.0509; its 2.5 % and 97.5 % quantiles are 0.0381 and 0.0653.
    const [a, b, c] = posteriors([
      { entered: 1000, converted: 50 },
      { entered: 1000, converted: 100 },
      { entered: 1000, converted: 50 },
    ]);
    expect(a?.mean).toBeCloseTo(51 / 1002, 6);
    expect(a?.low).toBeCloseTo(0.0381, 3);
    expect(a?.high).toBeCloseTo(0.0653, 3);
    expect((a?.pBest ?? 0) + (b?.pBest ?? 0) + (c?.pBest ?? 0)).toBeCloseTo(1, 3);
    expect(b?.pBest).toBeGreaterThan(0.999);
    expect(a?.pBest).toBeCloseTo(c?.pBest ?? -1, 9);
  });

  it('matches the closed form of two arms with no data: each is best half the time', () => {
    const [a, b] = posteriors([
      { entered: 0, converted: 0 },
      { entered: 0, converted: 0 },
    ]);
    expect(a?.pBest).toBeCloseTo(0.5, 3);
    expect(b?.pBest).toBeCloseTo(0.5, 3);
    expect(a?.low).toBeCloseTo(0.025, 3);
    expect(a?.high).toBeCloseTo(0.975, 3);
  });

  it('agrees with a Monte-Carlo estimate of P(best)', () => {
    const arms = [
      { entered: 300, converted: 21 },
      { entered: 310, converted: 30 },
      { entered: 290, converted: 18 },
    ];
    const rnd = seeded(7);
    // Beta(a, b) as the a-th of a + b − 1 uniforms' order statistics is slow; use Gamma ratios.
    const beta = (a: number, b: number) => {
      const x = rnd.gamma(a);
      return x / (x + rnd.gamma(b));
    };
    const wins = [0, 0, 0];
    const draws = 40_000;
    for (let k = 0; k < draws; k++) {
      const xs = arms.map((a) => beta(1 + a.converted, 1 + a.entered - a.converted));
      (wins[xs.indexOf(Math.max(...xs))] as number)++;
    }
    const exact = posteriors(arms);
    exact.forEach((p, i) => {
      expect(Math.abs(p.pBest - (wins[i] as number) / draws)).toBeLessThan(0.01);
    });
  });
});

describe('deciding', () => {
  it('waits for the minimum sample, however clear the lead', () => {
    const { verdict } = assess([
      { entered: 150, converted: 0 },
      { entered: 150, converted: 60 },
    ]);
    expect(verdict.kind).toBe('undecided');
    expect(verdict.reason).toContain(`${METHOD.minPerArm}`);
  });

  it('picks the 10 % arm among 5 %, 10 %, 5 % in most simulated experiments', () => {
    let right = 0;
    const runs = 40;
    for (let seed = 1; seed <= runs; seed++) {
      const { verdict } = simulate([0.05, 0.1, 0.05], seed, 25);
      if (verdict.kind === 'winner' && verdict.arm === 1) right += 1;
      if (verdict.kind === 'winner') expect(verdict.arm).toBe(1);
    }
    expect(right / runs).toBeGreaterThan(0.9);
  });

  it(`keeps false winners among equal arms within the ${METHOD.errorBudget * 100} % error budget, looked at again and again`, () => {
    // 200 experiments of three arms at 5 %, each looked at after every 25 entrants per arm up to
    // the stopping rule (about 110 looks each).
    let declared = 0;
    const runs = 200;
    for (let seed = 1; seed <= runs; seed++) {
      const { verdict } = simulate([0.05, 0.05, 0.05], 1000 + seed, 25);
      if (verdict.kind === 'winner') declared += 1;
      else expect(verdict.kind).toBe('no-winner');
    }
    expect(declared / runs).toBeLessThanOrEqual(METHOD.errorBudget);
  }, 60_000);

  it('would break the budget with the threshold alone (why the three rules)', () => {
    let declared = 0;
    const runs = 60;
    for (let seed = 1; seed <= runs; seed++) {
      const rnd = seeded(5000 + seed);
      const arms = [0, 1, 2].map(() => ({ entered: 0, converted: 0 }));
      for (let n = 1; n <= METHOD.maxPerArm; n++) {
        for (const a of arms) {
          a.entered += 1;
          if (rnd.next() < 0.05) a.converted += 1;
        }
        if (n % 25 !== 0 || n < 50) continue;
        if (probabilitiesToBeBest(arms).some((p) => p >= 0.95)) {
          declared += 1;
          break;
        }
      }
    }
    expect(declared / runs).toBeGreaterThan(METHOD.errorBudget * 2);
  }, 30_000);
});
