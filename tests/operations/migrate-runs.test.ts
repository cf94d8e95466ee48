import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tend } from '../support/cli.ts';
import { eventually, startTestEngine, type TestEngine } from '../support/engine.ts';
import { publish } from '../support/journeys.ts';

/*
 * 300 customers spread over three states of v1. v2 renames one state (and shortens its wait)
 * and removes another. The dry run counts, the migration moves, the moved waits fire when the
 * new wait says counting from when each customer began waiting, and the removed state's
 * customers stay on v1 and finish there. The waits are long enough that the four CLI calls
 * before the move (seconds each on a busy machine) end before any of them is due.
 */
const V1 = `
id: mig
name: Migration
trigger: { event: mig.start }
entry: { reenter: always }
start: route
states:
  route:
    choose:
      - when: 'event.data.group == "a"'
        next: waiting
      - when: 'event.data.group == "b"'
        next: parked
      - next: listening
  waiting:
    wait: { for: 90s }
    next: done
  parked:
    wait: { for: 60s }
    next: done
  listening:
    wait: { event: ping, timeout: 10m }
    on: { ping: done, timeout: done }
  done: { end: v1 }
`;
const V2 = `
id: mig
name: Migration
trigger: { event: mig.start }
entry: { reenter: always }
start: route
states:
  route:
    choose:
      - when: 'event.data.group == "a"'
        next: pausing
      - next: listening
  pausing:
    wait: { for: 30s }
    next: done
  listening:
    wait: { event: ping, timeout: 10m }
    on: { ping: done, timeout: done }
  done: { end: v2 }
`;
const GROUPS = ['a', 'b', 'c'] as const;
const customer = (i: number) => `m-${String(i).padStart(3, '0')}`;
let engine: TestEngine;

async function runs(state?: string) {
  const r = await engine.api('GET', `/api/runs?workflow=mig&limit=1000${state ? `&state=${state}` : ''}`);
  return r.body.runs as {
    id: string;
    customerId: string;
    version: number;
    state: string;
    status: string;
    outcome: string | null;
    phase: string;
  }[];
}

beforeAll(async () => {
  engine = await startTestEngine();
  await publish(engine, V1);
  const events = Array.from({ length: 300 }, (_, i) => ({
    customerId: customer(i),
    type: 'mig.start',
    data: { group: GROUPS[i % 3] },
  }));
  expect((await engine.api('POST', '/api/events/batch', events)).status).toBe(202);
  await eventually(
    async () => (await runs()).filter((r) => r.phase.startsWith('wait')).length === 300,
    60_000,
  );
  await publish(engine, V2);
});
afterAll(async () => {
  await engine?.stop();
});

describe('tend migrate-runs', () => {
  it('reports, in a dry run, how many customers would move from each state to which', async () => {
    const r = await tend(engine.url, [
      'migrate-runs',
      'mig',
      '--from',
      '1',
      '--to',
      '2',
      '--map',
      'waiting:pausing',
      '--dry-run',
      '--json',
    ]);
    expect(r.code, r.err).toBe(0);
    const plan = JSON.parse(r.out);
    expect(plan.moves).toEqual(
      expect.arrayContaining([
        { from: 'waiting', to: 'pausing', runs: 100 },
        { from: 'listening', to: 'listening', runs: 100 },
      ]),
    );
    expect(plan.moves).toHaveLength(2);
    expect(plan.unplaced).toEqual([{ state: 'parked', runs: 100, reason: 'v2 has no state "parked"' }]);
    expect((await runs()).every((r) => r.version === 1)).toBe(true);
  });

  it('refuses states with no place in the new version unless told to leave them', async () => {
    const r = await tend(engine.url, [
      'migrate-runs',
      'mig',
      '--from',
      '1',
      '--to',
      '2',
      '--map',
      'waiting:pausing',
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/100 runs have no place in v2: "parked"/);
    expect((await runs()).every((r) => r.version === 1)).toBe(true);

    const bad = await tend(engine.url, [
      'migrate-runs',
      'mig',
      '--from',
      '1',
      '--to',
      '2',
      '--map',
      'waiting:nowhere',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('v2 has no state "nowhere"');
  });

  it('moves the runs in one go; their waits fire on the new schedule; the removed state stays on v1', async () => {
    const r = await tend(engine.url, [
      'migrate-runs',
      'mig',
      '--from',
      '1',
      '--to',
      '2',
      '--map',
      'waiting:pausing',
      '--leave',
      '--json',
    ]);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ moved: 200, left: 100 });
    const after = await runs();
    expect(after.filter((x) => x.state === 'pausing' && x.version === 2)).toHaveLength(100);
    expect(after.filter((x) => x.state === 'listening' && x.version === 2)).toHaveLength(100);
    expect(after.filter((x) => x.state === 'parked' && x.version === 1)).toHaveLength(100);

    // Listening customers now answer to v2.
    const pinged = after.filter((x) => x.state === 'listening').slice(0, 10);
    const pings = pinged.map((x) => ({ customerId: x.customerId, type: 'ping' }));
    expect((await engine.api('POST', '/api/events/batch', pings)).status).toBe(202);

    // The moved waits fire 30 s after each customer began waiting (not 90 s, not 30 s from now).
    await eventually(
      async () => (await runs('done')).filter((x) => x.outcome === 'v2').length >= 110,
      60_000,
      500,
    );
    const moved = after.filter((x) => x.state === 'pausing').slice(0, 20);
    for (const run of moved) {
      const detail = (await engine.api('GET', `/api/runs/${run.id}`)).body;
      const migrated = detail.history.find((h: any) => h.type === 'run.migrated');
      expect(migrated.detail).toMatchObject({
        from: { version: 1, state: 'waiting' },
        to: { version: 2, state: 'pausing' },
      });
      const began = Date.parse(migrated.detail.waitingSince);
      const fired = detail.history.find((h: any) => h.type === 'timer.fired');
      const waited = Date.parse(fired.at) - began;
      expect(waited).toBeGreaterThanOrEqual(30_000);
      expect(waited).toBeLessThan(38_000);
      expect(detail.outcome).toBe('v2');
    }
    // Left on v1, the parked customers finish there.
    await eventually(
      async () => (await runs('done')).filter((x) => x.outcome === 'v1').length === 100,
      60_000,
      500,
    );
    const audit = await engine.api('GET', '/api/audit?entity=workflow&entityId=mig');
    expect(audit.body.entries[0]).toMatchObject({
      action: 'migrate-runs',
      detail: { moved: 200, left: 100 },
    });
  });
});
