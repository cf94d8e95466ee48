import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestEngine, type TestEngine } from '../support/engine.ts';
import { publish, runsOf, send } from '../support/journeys.ts';
import { type ReplicatedPostgres, replicaAvailable, startReplicatedPostgres } from '../support/replica.ts';

/*
 * A real primary and a real streaming replica made with `pg_basebackup -R`. Tend writes to the
 * primary and sends the reads that tolerate a little lag (overview, live view, stats, customer
 * lists, outbox, survey results, exports) to the replica; a replica that lags behind what a
 * caller has seen is not read, so nobody sees a run go backwards. The replica's replay is paused
 * to make it lag on purpose.
 */
const required = process.env.TEND_REQUIRE_REPLICA === '1';
let pg: ReplicatedPostgres;
let engine: TestEngine;

const JOURNEY = `
id: steps
name: Two steps
trigger: { event: steps.start }
start: first
states:
  first:
    wait: { event: steps.next, timeout: 30d }
    on:
      steps.next: second
      timeout: done
  second:
    wait: { event: steps.next, timeout: 30d }
    on:
      steps.next: done
      timeout: done
  done: { end: completed }
`;

/** A GET as an API client does it: sending back the read position it was last given. */
async function read(route: string, after: string | null) {
  const res = await fetch(`${engine.url}${route}`, {
    headers: {
      authorization: `Bearer ${engine.config.apiKey}`,
      ...(after ? { 'x-tend-read-after': after } : {}),
    },
  });
  return {
    status: res.status,
    body: (await res.json()) as any,
    from: res.headers.get('x-tend-read-from'),
    position: res.headers.get('x-tend-read-position'),
  };
}

const stateCount = (live: any, state: string) =>
  (live.states as { state: string; count: number }[]).find((s) => s.state === state)?.count ?? 0;

describe.runIf(replicaAvailable() || required)('a read replica', () => {
  beforeAll(async () => {
    pg = await startReplicatedPostgres();
    engine = await startTestEngine({ DATABASE_URL: pg.primaryUrl, DATABASE_READ_URL: pg.replicaUrl });
    await publish(engine, JOURNEY);
  });
  afterAll(async () => {
    await engine?.stop();
    await pg?.stop();
  });

  it('serves the lists and dashboards from the replica while writes go to the primary', async () => {
    for (const id of ['r1', 'r2', 'r3']) await send(engine, id, 'steps.start');
    await eventually(async () => ((await runsOf(engine, 'r3')).length === 1 ? true : undefined));
    await pg.caughtUp();
    for (const route of [
      '/api/customers?limit=10',
      '/api/overview',
      '/api/workflows/steps/live',
      '/api/stats/workflows',
      '/api/messages',
      '/api/surveys/nps/results',
    ]) {
      const r = await read(route, null);
      expect(r.status, `${route}: ${JSON.stringify(r.body)}`).toBe(200);
      expect(r.from, route).toBe('replica');
      expect(r.position, route).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    }
    const live = await read('/api/workflows/steps/live', null);
    expect(stateCount(live.body, 'first')).toBe(3);

    // The replica stops replaying: a customer written now is on the primary only, and a caller
    // who has not seen it reads the (lagging) replica.
    await pg.pauseReplay();
    try {
      expect((await engine.api('PUT', '/api/customers/late', { name: 'Late' })).status).toBeLessThan(300);
      const stale = await read('/api/customers?limit=100', live.position);
      expect(stale.from).toBe('replica');
      expect(stale.body.customers.map((c: { id: string }) => c.id)).not.toContain('late');
    } finally {
      await pg.resumeReplay();
    }
  });

  it('a lagging replica never shows a run going backwards', async () => {
    await pg.caughtUp();
    const before = await read('/api/workflows/steps/live', null);
    expect(before.from).toBe('replica');
    expect(stateCount(before.body, 'second')).toBe(0);
    let again: Awaited<ReturnType<typeof read>>;
    await pg.pauseReplay();
    try {
      // r1 moves on, on the primary; its caller sees it there (the run's own page reads the primary).
      await send(engine, 'r1', 'steps.next');
      let position = before.position;
      await eventually(async () => {
        const runs = await fetch(`${engine.url}/api/runs?customer=r1`, {
          headers: { authorization: `Bearer ${engine.config.apiKey}`, 'x-tend-read-after': position ?? '' },
        });
        position = runs.headers.get('x-tend-read-position');
        const [run] = ((await runs.json()) as { runs: { state: string }[] }).runs;
        return run?.state === 'second' ? true : undefined;
      });
      // The replica still has r1 in "first": this caller is answered by the primary instead, and
      // sees what it saw; a caller who has seen nothing newer may still read the replica.
      const after = await read('/api/workflows/steps/live', position);
      expect(after.from).toBe('primary');
      expect(stateCount(after.body, 'second')).toBe(1);
      expect(stateCount(after.body, 'first')).toBe(2);
      const newcomer = await read('/api/workflows/steps/live', before.position);
      expect(newcomer.from).toBe('replica');
      expect(stateCount(newcomer.body, 'second')).toBe(0);
      // The position it was given keeps it there on every later read while the replica lags.
      again = await read('/api/workflows/steps/live', after.position);
      expect(again.from).toBe('primary');
      expect(stateCount(again.body, 'second')).toBe(1);
    } finally {
      await pg.resumeReplay();
    }
    // Caught up, the replica serves the same caller again, with the run where it was seen.
    await pg.caughtUp();
    const later = await read('/api/workflows/steps/live', again.position);
    expect(later.from).toBe('replica');
    expect(stateCount(later.body, 'second')).toBe(1);
  });

  it('refuses a read position it did not give, and reads the primary when the replica is gone', async () => {
    const bad = await read('/api/overview', 'yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('X-Tend-Read-After');
    await pg.stopReplica();
    const r = await read('/api/customers?limit=5', null);
    expect(r.status).toBe(200);
    expect(r.from).toBe('primary');
    expect(r.body.customers.length).toBeGreaterThan(0);
  });
});
