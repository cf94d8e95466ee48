import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seeded } from '../../engine/src/demo/random.ts';
import { METHOD } from '../../engine/src/experiments/decide.ts';
import { engineClock, eventually, startTestEngine, TestClock, type TestEngine } from '../support/engine.ts';
import { publish } from '../support/journeys.ts';

/*
 * Experiments on a controllable clock: simulated traffic enters a three-arm split, each run's
 * customer orders (or not) with its arm's rate, drawn from a seeded generator; the clock moves
 * past the window and the experiment is decided, round after round, as the worker would.
 */
const DAY = 86_400_000;
const clock = new TestClock(engineClock().toISOString());
let engine: TestEngine;

const journey = (id: string) => `
id: ${id}
name: Offer experiment
trigger: { event: ${id}.signed-up }
start: offer
states:
  offer:
    split:
      - { weight: 1, next: ten-off, label: "10 % off" }
      - { weight: 1, next: free-ship, label: "Free shipping" }
      - { weight: 1, next: points, label: "Double points" }
    experiment:
      goal: { event: order.placed }
      window: 7d
      pick: auto
      holdout: 10%
  ten-off: { wait: { for: 90d }, next: done }
  free-ship: { wait: { for: 90d }, next: done }
  points: { wait: { for: 90d }, next: done }
  done: { end: completed }
`;

beforeAll(async () => {
  engine = await startTestEngine({ TEND_SWEEP_MS: '3600000' }, { clock });
  await publish(engine, journey('offer-rates'));
  await publish(engine, journey('offer-equal'));
}, 60_000);
afterAll(async () => {
  await engine?.stop();
});

type Assignment = { customer_id: string; arm: number; route: string };

async function assignments(workflow: string, customers: string[]): Promise<Assignment[]> {
  const r = await sql<Assignment>`
    SELECT customer_id, arm, route FROM experiment_assignments
    WHERE workflow_id = ${workflow} AND customer_id = ANY(${customers}::text[])`.execute(engine.services.db);
  return r.rows;
}

async function post(events: object[]) {
  for (let i = 0; i < events.length; i += 1000) {
    const r = await engine.api('POST', '/api/events/batch', events.slice(i, i + 1000));
    expect(r.status, JSON.stringify(r.body)).toBe(202);
  }
}

/** Customers sign up (each journey has its own trigger, so traffic of one is not the other's); once each took an arm, they order with their arm's rate. */
async function traffic(workflow: string, prefix: string, count: number, rates: number[], rnd: () => number) {
  const customers = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  await post(customers.map((customerId) => ({ customerId, type: `${workflow}.signed-up` })));
  const taken = await eventually(async () => {
    const rows = await assignments(workflow, customers);
    return rows.length === count ? rows : undefined;
  }, 60_000);
  clock.advance(DAY);
  await post(
    taken
      .filter((a) => rnd() < (rates[a.arm] as number))
      .map((a) => ({ customerId: a.customer_id, type: 'order.placed' })),
  );
  return taken;
}

async function decide(workflow: string) {
  return eventually(async () => {
    const r = await engine.api('POST', `/api/workflows/${workflow}/experiments/decide`);
    return r.status === 200 ? r.body : undefined;
  });
}

describe('an experiment that picks a winner', () => {
  it('picks the 10 % arm among 5 %, 10 %, 5 %; new entrants follow it, the holdout keeps being split', async () => {
    const rnd = seeded(2026).next;
    let body: any;
    let round = 0;
    const before: Assignment[] = [];
    for (; round < 8; round++) {
      before.push(...(await traffic('offer-rates', `r${round}`, 450, [0.05, 0.1, 0.05], rnd)));
      clock.advance(7 * DAY);
      body = await decide('offer-rates');
      if (body.experiments[0].decision) break;
    }
    const [experiment] = body.experiments;
    expect(experiment.decision, JSON.stringify(experiment.now)).not.toBeNull();
    expect(experiment.decision.verdict).toBe('winner');
    expect(experiment.decision.arm).toBe(1);
    expect(experiment.decision.decidedAt).toBe(clock.now().toISOString());
    const decided = experiment.decision.numbers;
    expect(decided[1].pBest).toBeGreaterThanOrEqual(METHOD.threshold);
    for (const arm of decided) expect(arm.entered).toBeGreaterThanOrEqual(METHOD.minPerArm);
    expect(decided[1].low).toBeLessThan(decided[1].converted / decided[1].entered);
    expect(decided[1].high).toBeGreaterThan(decided[1].converted / decided[1].entered);
    // The numbers shown are those of entrants split at random, the same ones counted by hand.
    for (const [i, arm] of experiment.arms.entries())
      expect(arm.entered + arm.open).toBe(before.filter((a) => a.arm === i).length);

    // Runs already on a path stay on it: the last round still waits in the arm it took.
    const last = before.filter((a) => a.customer_id.startsWith(`r${round}-`)).slice(0, 30);
    const runs = await sql<{ customer_id: string; state: string }>`
      SELECT customer_id, state FROM runs WHERE workflow_id = 'offer-rates'
        AND customer_id = ANY(${last.map((a) => a.customer_id)}::text[])`.execute(engine.services.db);
    const armState = ['ten-off', 'free-ship', 'points'];
    for (const r of runs.rows)
      expect(r.state).toBe(armState[last.find((a) => a.customer_id === r.customer_id)?.arm ?? -1]);

    // New entrants: the winner, except the holdout (10 % of customers), which is split as written.
    const after = await traffic('offer-rates', 'new', 1000, [0.05, 0.1, 0.05], rnd);
    const held = after.filter((a) => a.route === 'holdout');
    const followed = after.filter((a) => a.route === 'winner');
    expect(held.length + followed.length).toBe(after.length);
    expect(followed.every((a) => a.arm === 1)).toBe(true);
    // 10 % of 1000: 3 standard deviations are ±28.
    expect(held.length).toBeGreaterThan(100 - 28);
    expect(held.length).toBeLessThan(100 + 28);
    for (let arm = 0; arm < 3; arm++) expect(held.filter((a) => a.arm === arm).length).toBeGreaterThan(10);
    const shown = (await engine.api('GET', '/api/workflows/offer-rates/experiments')).body.experiments[0];
    expect(shown.arms[1].followedWinner).toBe(followed.length);
    expect(shown.arms.reduce((n: number, a: { holdout: number }) => n + a.holdout, 0)).toBe(held.length);
    // The decision stays as it was made.
    expect(shown.decision).toEqual(experiment.decision);
  }, 120_000);

  it('declares no winner among equal arms', async () => {
    const rnd = seeded(7).next;
    for (let round = 0; round < 6; round++) {
      await traffic('offer-equal', `e${round}`, 450, [0.07, 0.07, 0.07], rnd);
      clock.advance(7 * DAY);
      const body = await decide('offer-equal');
      const [experiment] = body.experiments;
      expect(experiment.decision).toBeNull();
      expect(experiment.now.kind).toBe('undecided');
    }
    const after = await traffic('offer-equal', 'e-new', 200, [0.07, 0.07, 0.07], rnd);
    expect(after.every((a) => a.route === 'split')).toBe(true);
  }, 120_000);
});
