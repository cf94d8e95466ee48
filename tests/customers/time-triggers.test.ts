import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestEngine, TestClock, type TestEngine } from '../support/engine.ts';
import { publish, runsOf } from '../support/journeys.ts';

const clock = new TestClock('2027-04-22T00:00:00Z');
let engine: TestEngine;

beforeAll(async () => {
  engine = await startTestEngine({ TEND_SWEEP_MS: '3600000' }, { clock });
  await publish(
    engine,
    `
id: birthday
name: Birthday greeting
trigger:
  date: { attribute: birthday, at: "09:00" }
entry: { reenter: always }
start: greet
states:
  greet:
    steps: [ { uses: test.noop, with: { card: birthday } } ]
    end: greeted
`,
  );
  await publish(
    engine,
    `
id: mid-autumn
name: Mid-Autumn greeting
trigger:
  lunar: { month: 8, day: 15, at: "10:00" }
  where: 'customer.timezone == "Asia/Shanghai"'
entry: { reenter: always }
start: greet
states:
  greet:
    steps: [ { uses: test.noop, with: { card: mooncake } } ]
    end: greeted
`,
  );
  const people = [
    ['shanghai', 'Asia/Shanghai', '1990-04-23'],
    ['berlin', 'Europe/Berlin', '1985-04-23'],
    ['new-york', 'America/New_York', '2000-04-23'],
    ['not-today', 'Asia/Shanghai', '1990-04-24'],
    ['leap-day', 'UTC', '2000-02-29'],
  ];
  for (const [id, timezone, birthday] of people) {
    expect((await engine.api('PUT', `/api/customers/${id}`, { timezone, birthday })).status).toBe(201);
  }
});
afterAll(async () => {
  await engine?.stop();
});

async function sweepAt(iso: string) {
  clock.set(iso);
  const r = await engine.api('POST', '/api/triggers/sweep');
  expect(r.status).toBe(200);
  return r.body.fired as { workflow: string; occurrence: string; zone: string; enrolled: number }[];
}

async function started(workflow: string) {
  const r = await engine.api('GET', `/api/runs?workflow=${workflow}&limit=1000`);
  return Object.fromEntries(
    r.body.runs.map((run: { customerId: string; startedAt: string }) => [run.customerId, run.startedAt]),
  );
}

describe('birthdays in three time zones', () => {
  it('greets each customer at 09:00 in their own zone on the day, once', async () => {
    expect((await sweepAt('2027-04-23T00:59:00Z')).filter((f) => f.enrolled > 0)).toEqual([]);
    await sweepAt('2027-04-23T01:00:00Z'); // 09:00 in Shanghai
    expect(Object.keys(await started('birthday'))).toEqual(['shanghai']);
    await sweepAt('2027-04-23T06:59:00Z'); // 08:59 in Berlin (summer time)
    expect(Object.keys(await started('birthday'))).toEqual(['shanghai']);
    await sweepAt('2027-04-23T07:00:00Z');
    await sweepAt('2027-04-23T13:00:00Z'); // 09:00 in New York
    await sweepAt('2027-04-23T20:00:00Z'); // and again later that day: nobody twice
    expect(await started('birthday')).toEqual({
      shanghai: '2027-04-23T01:00:00.000Z',
      berlin: '2027-04-23T07:00:00.000Z',
      'new-york': '2027-04-23T13:00:00.000Z',
    });
    const run = (await runsOf(engine, 'berlin', 'birthday'))[0];
    expect(run?.outcome === 'greeted' || run?.status === 'active').toBe(true);
  });

  it('celebrates a 29 February birthday on 28 February 2027', async () => {
    await sweepAt('2027-02-28T08:59:00Z');
    expect(await runsOf(engine, 'leap-day', 'birthday')).toEqual([]);
    await sweepAt('2027-02-28T09:00:00Z');
    expect(await runsOf(engine, 'leap-day', 'birthday')).toHaveLength(1);
    await sweepAt('2027-03-01T09:00:00Z');
    expect(await runsOf(engine, 'leap-day', 'birthday')).toHaveLength(1);
  });
});

describe('Mid-Autumn Festival', () => {
  it('fires on 2026-09-25 and 2027-09-15 at 10:00 Shanghai time, not on other days', async () => {
    await sweepAt('2026-09-24T02:00:00Z');
    expect(await runsOf(engine, 'shanghai', 'mid-autumn')).toEqual([]);
    await sweepAt('2026-09-25T01:59:00Z');
    expect(await runsOf(engine, 'shanghai', 'mid-autumn')).toEqual([]);
    const fired = await sweepAt('2026-09-25T02:00:00Z');
    expect(fired.find((f) => f.workflow === 'mid-autumn' && f.zone === 'Asia/Shanghai')).toMatchObject({
      occurrence: 'lunar:2026-09-25',
      enrolled: 2,
    });
    // A year passes before the next festival: this year's greetings have long ended by then.
    await eventually(async () => {
      const runs = await engine.api('GET', '/api/runs?workflow=mid-autumn&status=active');
      return runs.body.runs.length === 0;
    });
    await sweepAt('2027-09-15T02:00:00Z');
    const runs = await started('mid-autumn');
    expect(Object.keys(runs).sort()).toEqual(['not-today', 'shanghai']);
    expect((await runsOf(engine, 'shanghai', 'mid-autumn')).map((r) => r.outcome ?? r.status)).toHaveLength(
      2,
    );
    expect(await runsOf(engine, 'berlin', 'mid-autumn')).toEqual([]);
  });
});
