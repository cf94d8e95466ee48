import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, TestClock, type TestEngine } from '../support/engine.ts';
import { publish, runsOf } from '../support/journeys.ts';

/* A scheduled journey paused over its occurrence: resume either fires the missed one or skips it. */
// Publishing is stamped with the database's real time and only occurrences after it fire, so the
// virtual day must lie ahead of the real one (a fixed date stopped working once it had passed).
const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
const nextDay = new Date(Date.parse(day) + 86_400_000).toISOString().slice(0, 10);
const clock = new TestClock(`${day}T08:00:00Z`);
let engine: TestEngine;

const journey = (id: string) => `
id: ${id}
name: Daily ${id}
trigger:
  schedule: { cron: "0 9 * * *" }
entry: { reenter: always }
start: greet
states:
  greet:
    steps: [ { uses: test.noop, with: { hello: true } } ]
    end: greeted
`;

async function sweepAt(iso: string) {
  clock.set(iso);
  const r = await engine.api('POST', '/api/triggers/sweep');
  expect(r.status).toBe(200);
  return r.body.fired as { workflow: string; occurrence: string; enrolled: number }[];
}

beforeAll(async () => {
  engine = await startTestEngine({ TEND_SWEEP_MS: '3600000', TEND_TIMEZONE: 'UTC' }, { clock });
  await publish(engine, journey('daily-admit'));
  await publish(engine, journey('daily-skip'));
  for (const id of ['s-1', 's-2'])
    expect((await engine.api('PUT', `/api/customers/${id}`, { timezone: 'UTC' })).status).toBe(201);
});
afterAll(async () => {
  await engine?.stop();
});

describe('pausing a scheduled journey', () => {
  it('holds the occurrence while paused; resume admits it or skips it as asked', async () => {
    for (const id of ['daily-admit', 'daily-skip'])
      expect((await engine.api('POST', `/api/workflows/${id}/pause`, {})).status).toBe(200);
    expect(await sweepAt(`${day}T09:00:30Z`)).toEqual([]);
    expect(await runsOf(engine, 's-1', 'daily-admit')).toHaveLength(0);

    const skipped = await engine.api('POST', '/api/workflows/daily-skip/resume', { admit: false });
    expect(skipped.body).toMatchObject({ wasPaused: true, skippedOccurrences: 1 });
    const admitted = await engine.api('POST', '/api/workflows/daily-admit/resume', { admit: true });
    expect(admitted.body).toMatchObject({ wasPaused: true, skippedOccurrences: 0 });

    const fired = await sweepAt(`${day}T09:05:00Z`);
    expect(fired).toEqual([expect.objectContaining({ workflow: 'daily-admit', enrolled: 2 })]);
    expect(await runsOf(engine, 's-1', 'daily-skip')).toHaveLength(0);

    // The next day both run as usual.
    const next = await sweepAt(`${nextDay}T09:00:30Z`);
    expect(next.map((f) => f.workflow).sort()).toEqual(['daily-admit', 'daily-skip']);
  });
});
