import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/database.ts';
import { call, type EngineProcess, spawnEngine } from '../support/process.ts';

/*
 * An event sent on its own (`POST /api/events`) is dispatched by the process that took it, at
 * once, not through a dispatch job; the runs it moves into steps are driven under a watch job,
 * due a few seconds later and renewed while the steps run (workers/inline-dispatch.ts). The
 * kill -9 case (the watch job comes due and hands the run on) is in borrowed-drivers.test.ts.
 */

let databaseUrl: string;
let engine: EngineProcess;
let db: pg.Client;

const journey = (id: string, ms: number) => `
id: ${id}
name: Inline dispatch (${ms} ms step)
trigger: { event: ${id}.start }
start: work
states:
  work:
    steps: [ { id: work, uses: test.slow, with: { ms: ${ms} } } ]
    end: done
`;

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  engine = await spawnEngine(databaseUrl);
  for (const [id, ms] of [
    ['quick', 0],
    ['long', 20_000],
  ] as const) {
    await call(engine.url, 'POST', '/api/workflows', journey(id, ms), 'application/yaml');
    await call(engine.url, 'POST', `/api/workflows/${id}/publish`, { version: 1 });
  }
});
afterAll(async () => {
  await engine?.kill('SIGKILL');
  await db?.end();
});

async function completed(customer: string, withinMs: number): Promise<string> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const r = await db.query<{ id: string; status: string }>(
      `SELECT id, status FROM runs WHERE customer_id = $1`,
      [customer],
    );
    if (r.rows[0]?.status === 'completed') return r.rows[0].id;
    if (Date.now() > deadline) throw new Error(`the run of ${customer} did not complete\n${engine.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Every job written for this customer's dispatch or this run's steps, by queue and state, once
 * the watch job is gone. It is deleted when the driving ends, a moment after the run's last
 * commit, so a test that just saw the run completed may still find it: polled for a while.
 * Jobs that ran (a step job, a watch job that came due) stay, as completed, and fail the test.
 */
async function jobsLeftFor(customer: string, runId: string): Promise<string[]> {
  return polled(async () => {
    const r = await db.query<{ job: string }>(
      `SELECT name || ' ' || state AS job FROM pgboss.job
       WHERE (name = 'tend-dispatch' AND data -> 'customers' ? $1) OR (name = 'tend-step' AND data ->> 'run' = $2)
       ORDER BY created_on`,
      [customer, runId],
    );
    return r.rows.map((x) => x.job);
  });
}

/** Watch jobs not yet deleted, once they are gone (see jobsLeftFor). */
async function watchJobsLeft(): Promise<number> {
  const left = await polled(async () => {
    const r = await db.query<{ id: string }>(
      `SELECT id FROM pgboss.job WHERE name = 'tend-dispatch' AND state < 'completed'`,
    );
    return r.rows;
  });
  return left.length;
}

/** Reads until nothing is found or 5 s have passed; answers the last reading. */
async function polled<T>(read: () => Promise<T[]>): Promise<T[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const found = await read();
    if (found.length === 0 || Date.now() > deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stepsDone(runId: string): Promise<number> {
  const r = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM run_history_entries WHERE run_id = $1 AND type = 'step.done'`,
    [runId],
  );
  return r.rows[0]?.n ?? 0;
}

describe('events dispatched by the process that took them', () => {
  it('run their first step without a job, and leave no watch job behind', async () => {
    const answer = await call(engine.url, 'POST', '/api/events', { customerId: 'in-1', type: 'quick.start' });
    expect(answer.status).toBe(202);
    const runId = await completed('in-1', 10_000);
    expect(await stepsDone(runId)).toBe(1);
    // No dispatch job ran for it, no step job either; the watch job was deleted with the steps done.
    expect(await jobsLeftFor('in-1', runId)).toEqual([]);
  });

  it('sent many at once, are dispatched together or by jobs, each once', async () => {
    // 50 requests at a time: what comes while a dispatch commits goes into the next one, and past
    // four dispatches in flight the events take dispatch jobs.
    const customers = Array.from({ length: 300 }, (_, i) => `many-${i}`);
    for (let i = 0; i < customers.length; i += 50) {
      const answers = await Promise.all(
        customers
          .slice(i, i + 50)
          .map((customerId) => call(engine.url, 'POST', '/api/events', { customerId, type: 'quick.start' })),
      );
      expect(answers.every((a) => a.status === 202)).toBe(true);
    }
    const deadline = Date.now() + 30_000;
    for (;;) {
      const r = await db.query<{ runs: number; customers: number; steps: number; waiting: number }>(
        `SELECT (SELECT count(*)::int FROM runs WHERE customer_id LIKE 'many-%' AND status = 'completed') AS runs,
                (SELECT count(DISTINCT customer_id)::int FROM runs WHERE customer_id LIKE 'many-%') AS customers,
                (SELECT count(*)::int FROM run_history_entries h JOIN runs r ON r.id = h.run_id
                  WHERE r.customer_id LIKE 'many-%' AND h.type = 'step.done') AS steps,
                (SELECT count(*)::int FROM event_dispatch WHERE customer_id LIKE 'many-%') AS waiting`,
      );
      const now = r.rows[0];
      if (now?.runs === customers.length) {
        expect(now).toEqual({ runs: 300, customers: 300, steps: 300, waiting: 0 });
        break;
      }
      if (Date.now() > deadline) throw new Error(`not all dispatched: ${JSON.stringify(now)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // No watch job is left behind by any of them.
    expect(await watchJobsLeft()).toBe(0);
  });

  it('a step longer than the watch job’s delay runs once: the watch is renewed while it runs', async () => {
    const started = Date.now();
    await call(engine.url, 'POST', '/api/events', { customerId: 'in-2', type: 'long.start' });
    // The watch job is there while the step runs (its delay: TEND_HEARTBEAT_SECONDS + 5 = 15 s).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const during = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'tend-dispatch' AND state = 'created'
       AND (data ->> 'watch')::boolean AND data -> 'customers' ? 'in-2'`,
    );
    expect(during.rows[0]?.n).toBe(1);
    const runId = await completed('in-2', 60_000);
    expect(Date.now() - started).toBeGreaterThan(20_000);
    expect(await stepsDone(runId)).toBe(1);
    // Renewed, never due: no process took the run over (that would have written a step job).
    expect(await jobsLeftFor('in-2', runId)).toEqual([]);
  });
});
