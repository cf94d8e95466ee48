/**
 * What a best-time wait costs [`--only best-time`]: a base of customers with a history of
 * engagements (opens, clicks, orders) among other events is written straight into customers and
 * events; then the reads a best-time wait makes are timed: a batch of customers' hours (what a
 * worker reads before computing their transitions) and the base's pattern (every 6 hours). The
 * ingest path is not timed: it does nothing for best-time waits.
 */
import { sql } from 'kysely';
import pg from 'pg';
import { DEFAULT_LIFECYCLE } from '../src/lifecycle/config.ts';
import { createDb } from '../src/store/db.ts';
import { makeEventMonthsAround } from '../src/store/event-partitions.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { monthBucket } from '../src/store/monthly-partitions.ts';
import { BASE_HOURS_STATE, hourProfiles } from '../src/workers/best-time-hours.ts';
import { checkpoint, engineClock, percentile, progress } from './support.ts';

const DAY = 86_400_000;
const BATCH = 10_000;
const ZONES = ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York', null];
const ENGAGEMENTS = ['message.opened', 'message.clicked', 'order.placed'];
/** Events of other kinds per customer, so the index has to skip them. */
const OTHER = ['page.viewed', 'message.delivered', 'customer.updated'];
/** Customers whose hours one worker batch reads (the engine's batch size). */
const READ_BATCH = 500;
const ROUNDS = 20;

export async function bestTimeBench(
  databaseUrl: string,
  o: { customers: number; engagements: number; others: number },
) {
  const { db } = createDb(databaseUrl, { max: 4 });
  await migrateToLatest(db);
  const now = engineClock();
  await makeEventMonthsAround(db, now);
  const tag = now.getTime().toString(36);
  const ids: string[] = [];
  let started = performance.now();
  for (let start = 0; start < o.customers; start += BATCH) {
    const count = Math.min(BATCH, o.customers - start);
    const batch = Array.from({ length: count }, (_, i) => `bt-${tag}-${String(start + i).padStart(7, '0')}`);
    ids.push(...batch);
    const zones = batch.map((_, i) => ZONES[(start + i) % ZONES.length] ?? null);
    const perCustomer = o.engagements + o.others;
    const events = batch.flatMap((id, i) =>
      Array.from({ length: perCustomer }, (_, k) => ({
        id: `${id}-${k}`,
        customer: id,
        type:
          k < o.engagements
            ? (ENGAGEMENTS[k % ENGAGEMENTS.length] as string)
            : (OTHER[k % OTHER.length] as string),
        // Spread over the last year, at the customer's own hour most of the time.
        at: new Date(now.getTime() - ((k * 37 + i) % 365) * DAY - (((start + i) % 24) + (k % 5)) * 3_600_000),
      })),
    );
    await db.transaction().execute(async (trx) => {
      await sql`
        INSERT INTO customers (id, timezone, created_at, updated_at)
        SELECT id, tz, ${now}::timestamptz, ${now}::timestamptz
        FROM unnest(${batch}::text[], ${zones}::text[]) AS u(id, tz)`.execute(trx);
      await sql`
        INSERT INTO events (id, customer_id, type, data, occurred_at, received_at, bucket)
        SELECT id, customer_id, type, '{}'::jsonb, at, ${now}::timestamptz, ${monthBucket(now)}::date
        FROM unnest(${events.map((e) => e.id)}::text[], ${events.map((e) => e.customer)}::text[],
          ${events.map((e) => e.type)}::text[], ${events.map((e) => e.at.toISOString())}::timestamptz[])
          AS u(id, customer_id, type, at)`.execute(trx);
    });
    progress('seed customers and events', start + count, o.customers);
  }
  const seedSeconds = (performance.now() - started) / 1000;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('VACUUM ANALYZE customers, events');
  await checkpoint(client);
  const events = Number((await client.query('SELECT count(*) AS n FROM events')).rows[0].n);
  await client.end();

  const deps = {
    db,
    lifecycle: DEFAULT_LIFECYCLE,
    config: { defaultTimezone: 'UTC' } as Parameters<typeof hourProfiles>[0]['config'],
    now: () => now,
  };
  // The base's pattern, counted afresh (as every 6 hours).
  await sql`DELETE FROM engine_state WHERE key = ${BASE_HOURS_STATE}`.execute(db);
  started = performance.now();
  await hourProfiles(deps, db, [{ id: ids[0] as string, zone: 'UTC' }]);
  const baseMs = performance.now() - started;

  // A worker batch's customers, drawn across the base, hours read as a transition needs them.
  const times: number[] = [];
  let engagementsRead = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const batch = Array.from({ length: READ_BATCH }, (_, i) => {
      const id = ids[(round * 7919 + i * 104_729) % ids.length] as string;
      return { id, zone: ZONES[i % ZONES.length] ?? 'UTC' };
    });
    started = performance.now();
    const hours = await hourProfiles(deps, db, batch);
    times.push(performance.now() - started);
    for (const h of hours.values()) engagementsRead += h.own.reduce((a, b) => a + b, 0);
  }
  await db.destroy();
  times.sort((a, b) => a - b);
  return {
    customers: o.customers,
    events,
    seedSeconds: Number(seedSeconds.toFixed(1)),
    baseCountMs: Math.round(baseMs),
    batchOf: READ_BATCH,
    batchMs: {
      p50: Number(percentile(times, 50).toFixed(1)),
      p99: Number(percentile(times, 99).toFixed(1)),
    },
    perCustomerMs: Number((percentile(times, 50) / READ_BATCH).toFixed(3)),
    engagementsPerCustomer: Number((engagementsRead / (ROUNDS * READ_BATCH)).toFixed(1)),
  };
}
