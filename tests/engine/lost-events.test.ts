import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthBucket } from '../../engine/src/store/monthly-partitions.ts';
import { eventually, startTestEngine, type TestEngine } from '../support/engine.ts';
import { publish, runsOf } from '../support/journeys.ts';

/*
 * The sweeper's catch for events whose dispatch job is gone (it ran out of retries, or the process
 * that stored one event per request died before dispatching it itself or writing its job, both
 * just after answering): the events wait in event_dispatch with no job to offer them. It looks
 * every five sweeps (here 200 ms each).
 */
let engine: TestEngine;
let db: pg.Client;

beforeAll(async () => {
  engine = await startTestEngine({ TEND_SWEEP_MS: '200' });
  db = new pg.Client({ connectionString: engine.databaseUrl });
  await db.connect();
  await publish(
    engine,
    `
id: lost
name: Lost and found
trigger: { event: lost.start }
start: done
states:
  done: { end: found }
`,
  );
});
afterAll(async () => {
  await db?.end();
  await engine?.stop();
});

/** Stores an event and marks it waiting, as ingest does, but queues no dispatch job for it. */
async function strandEvent(customer: string): Promise<void> {
  // Stamped with the engine's clock, as ingest stamps them (no column takes the database's time).
  const now = engine.services.now();
  await db.query('INSERT INTO customers (id, created_at, updated_at) VALUES ($1, $2, $2)', [customer, now]);
  const e = await db.query<{ seq: string }>(
    `INSERT INTO events (id, customer_id, type, data, occurred_at, received_at, bucket)
     VALUES (gen_random_uuid()::text, $1, 'lost.start', '{}', $2, $2, $3) RETURNING seq`,
    [customer, now, monthBucket(now)],
  );
  await db.query('INSERT INTO event_dispatch (seq, customer_id, bucket) VALUES ($1, $2, $3)', [
    e.rows[0]?.seq,
    customer,
    monthBucket(now),
  ]);
}

const waiting = async (customer: string) =>
  (await db.query('SELECT 1 FROM event_dispatch WHERE customer_id = $1', [customer])).rowCount;

describe('events whose dispatch job is gone', () => {
  it('are dispatched by the sweep', async () => {
    await strandEvent('stranded-1');
    await eventually(
      async () => (await runsOf(engine, 'stranded-1', 'lost'))[0]?.outcome === 'found',
      10_000,
    );
    expect(await waiting('stranded-1')).toBe(0);
  });

  it('but events whose job is only late are left to it, until it is gone', async () => {
    await strandEvent('late-1');
    const job = await engine.services.boss.send(
      'tend-dispatch',
      { customers: ['late-1'] },
      { startAfter: 60 },
    );
    // Three looks of the sweep at least: the event stays for its job.
    await new Promise((r) => setTimeout(r, 3500));
    expect(await runsOf(engine, 'late-1', 'lost')).toEqual([]);
    expect(await waiting('late-1')).toBe(1);
    // Once the job is cancelled, nothing else will offer the event: the sweep does.
    await engine.services.boss.cancel('tend-dispatch', job as string);
    await eventually(async () => (await runsOf(engine, 'late-1', 'lost'))[0]?.outcome === 'found', 10_000);
  });
});
