import { isDeepStrictEqual } from 'node:util';
import type { Expectation } from './format.ts';
import type { SimulatedRun } from './simulate.ts';

/** What differs between an expectation and the simulated runs; empty when the test passes. */
export function checkExpectation(
  expect: Expectation,
  runs: SimulatedRun[],
  defaultCustomer: string,
): string[] {
  const customer = expect.customer ?? defaultCustomer;
  const mine = runs.filter((r) => r.customerId === customer);
  const problems: string[] = [];
  if (expect.runs !== undefined && mine.length !== expect.runs) {
    problems.push(`expected ${expect.runs} run(s) for ${customer}, got ${mine.length}`);
  }
  const run = mine.at(-1);
  if (!run) {
    if (expect.status !== 'none' && expect.runs !== 0)
      problems.push(`no run started for customer ${customer}`);
    return problems;
  }
  if (expect.status === 'none')
    problems.push(`expected no run for ${customer}, but one is ${run.status} in "${run.state}"`);
  const same = (what: string, want: unknown, got: unknown) => {
    if (want !== undefined && !isDeepStrictEqual(want, got)) {
      problems.push(`${what}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
    }
  };
  same('state', expect.state, run.state);
  if (expect.status !== 'none') same('status', expect.status, run.status);
  same('outcome', expect.outcome, run.outcome);
  for (const [name, want] of Object.entries(expect.vars ?? {})) same(`vars.${name}`, want, run.vars[name]);
  for (const [name, want] of Object.entries(expect.steps ?? {})) same(`steps.${name}`, want, run.steps[name]);
  const ran = run.ran.map((s) => s.label);
  if (expect.ran && !isDeepStrictEqual(expect.ran, ran)) {
    problems.push(
      `steps run: expected ${expect.ran.join(' → ') || '(none)'}, got ${ran.join(' → ') || '(none)'}`,
    );
  }
  for (const label of expect.notRan ?? []) {
    if (run.ran.some((s) => s.label === label || s.uses === label))
      problems.push(`step ${label} ran, but should not have`);
  }
  if (expect.path && !isDeepStrictEqual(expect.path, run.path)) {
    problems.push(`path: expected ${expect.path.join(' → ')}, got ${run.path.join(' → ')}`);
  }
  return problems;
}
