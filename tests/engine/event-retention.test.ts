import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIFECYCLE } from '../../engine/src/lifecycle/config.ts';
import { recomputeAllMetrics } from '../../engine/src/store/customer-metrics.ts';
import { pendingEventsQuery } from '../../engine/src/store/event-dispatch.ts';
import { insertEvents } from '../../engine/src/store/events.ts';
import { maintainEvents } from '../../engine/src/workers/partition-retention.ts';
import { eventually, startTestEngine, TestClock, type TestEngine } from '../support/engine.ts';
import { partitionsOf, whileReading } from '../support/partitions.ts';

/*
 * `events` partitioned by the month Tend received each event, on a clock the test moves: the
 * retention job makes the months ahead, drops those past retention (keeping purchases), an event
 * sent again is stored once for as long as it is kept (across a month's turn, months later), and
 * reads by sequence number read one partition.
 */
const clock = new TestClock('2031-03-10T12:00:00Z');
let engine: TestEngine;
let db: pg.Client;

beforeAll(async () => {
  engine = await startTestEngine({ TEND_PLUGINS: '' }, { clock });
  db = new pg.Client({ connectionString: engine.databaseUrl });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await engine?.stop();
});

const months = () => partitionsOf(db, 'events');
const count = async (where: string, params: unknown[] = []) =>
  Number((await db.query(`SELECT count(*)::int AS n FROM events WHERE ${where}`, params)).rows[0].n);
const send = (body: unknown) => engine.api('POST', '/api/events', body);
const retain = (days: number) => maintainEvents(engine.services.runtime, days);

describe('events partitioned by month received', () => {
  it('has the months around the engine clock made at start, and drops nothing unless told', async () => {
    await eventually(async () => (await months()).includes('events_2031_05'));
    // TEND_RETAIN_EVENTS_DAYS is 0 by default: even the (empty) past is kept.
    expect(await months()).toContain('events_before');
    expect(await months()).toEqual(
      expect.arrayContaining(['events_2031_02', 'events_2031_03', 'events_2031_04', 'events_2031_05']),
    );
    expect(await months()).not.toContain('events_2031_06');
  });

  it('stores an event in the month it was received in', async () => {
    expect((await send({ id: 'march-1', customerId: 'c-1', type: 'page.viewed' })).status).toBe(202);
    const order = { id: 'order-1', customerId: 'c-1', type: 'order.placed', data: { amount: '30.00' } };
    expect((await send(order)).status).toBe(202);
    const r = await db.query(`SELECT tableoid::regclass::text AS part FROM events WHERE id = 'march-1'`);
    expect(r.rows).toEqual([{ part: 'events_2031_03' }]);
  });

  it('stores a retry once across a month turn, and weeks later', async () => {
    clock.set('2031-03-31T23:59:30Z');
    expect((await send({ id: 'turn-1', customerId: 'c-2', type: 'page.viewed' })).status).toBe(202);
    clock.set('2031-04-01T00:00:30Z');
    expect(
      (
        await engine.api('POST', '/api/events/batch', [
          { id: 'turn-1', customerId: 'c-2', type: 'page.viewed' },
        ])
      ).body,
    ).toMatchObject({ accepted: 0, duplicates: 1 });
    clock.set('2031-04-28T09:00:00Z');
    expect(
      (
        await engine.api('POST', '/api/events/batch', [
          { id: 'turn-1', customerId: 'c-2', type: 'page.viewed' },
        ])
      ).body,
    ).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(await count(`id = 'turn-1'`)).toBe(1);
    // Another customer's event with the same id is that customer's own.
    expect(
      (
        await engine.api('POST', '/api/events/batch', [
          { id: 'turn-1', customerId: 'c-3', type: 'page.viewed' },
        ])
      ).body,
    ).toMatchObject({ accepted: 1 });
    expect((await send({ id: 'april-1', customerId: 'c-1', type: 'page.viewed' })).status).toBe(202);
  });

  it('stores once two copies sent at the same moment on either side of a month turn', async () => {
    const copy = { id: 'race-1', customerId: 'c-5', type: 'page.viewed', data: {}, occurredAt: clock.now() };
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let written = () => {};
    const inserted = new Promise<void>((resolve) => {
      written = resolve;
    });
    const first = engine.services.db.transaction().execute(async (trx) => {
      const stored = await insertEvents(trx, [copy], new Date('2031-04-30T23:59:59Z'));
      written();
      await held;
      return stored;
    });
    await inserted;
    const second = engine.services.db
      .transaction()
      .execute((trx) => insertEvents(trx, [copy], new Date('2031-05-01T00:00:01Z')));
    // The second waits for the first's commit on the key (event_keys) instead of missing its
    // copy in the other month's partition: it is seen waiting for the first's transaction.
    let settled = false;
    second.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    await eventually(
      async () =>
        settled ||
        (
          await db.query(
            `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'transactionid' AND NOT granted`,
          )
        ).rows[0].n > 0,
    );
    release();
    expect((await first).length).toBe(1);
    expect((await second).length).toBe(0);
    expect(await count(`id = 'race-1'`)).toBe(1);
    const key = await db.query(`SELECT bucket::text FROM event_keys WHERE id = 'race-1'`);
    expect(key.rows).toEqual([{ bucket: '2031-04-01' }]);
  });

  it('stores an event sent again months later once, whatever month it was received in', async () => {
    // march-1 (c-1) was received on 2031-03-10; four months on, from another month's partition.
    clock.set('2031-07-15T10:00:00Z');
    await retain(0);
    expect(await months()).toContain('events_2031_07');
    const again = await send({ id: 'march-1', customerId: 'c-1', type: 'page.viewed' });
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ id: 'march-1', duplicate: true });
    expect(
      (
        await engine.api('POST', '/api/events/batch', [
          { id: 'march-1', customerId: 'c-1', type: 'page.viewed' },
          { id: 'order-1', customerId: 'c-1', type: 'order.placed', data: { amount: '30.00' } },
          { id: 'july-1', customerId: 'c-1', type: 'page.viewed' },
        ])
      ).body,
    ).toMatchObject({ accepted: 1, duplicates: 2 });
    expect(await count(`id = 'march-1' AND customer_id = 'c-1'`)).toBe(1);
    expect(await count(`id = 'order-1' AND customer_id = 'c-1'`)).toBe(1);
    // Two copies at once in the same month: the key holds the second back.
    const copy = {
      id: 'july-twice',
      customerId: 'c-1',
      type: 'page.viewed',
      data: {},
      occurredAt: clock.now(),
    };
    const both = await Promise.all([
      engine.services.db.transaction().execute((trx) => insertEvents(trx, [copy], clock.now())),
      engine.services.db.transaction().execute((trx) => insertEvents(trx, [copy], clock.now())),
    ]);
    expect(both.map((b) => b.length).sort()).toEqual([0, 1]);
    expect(await count(`id = 'july-twice'`)).toBe(1);
  });

  it('reads a waiting event in its month only (run-time partition pruning)', async () => {
    // A waiting event of March, read as the dispatcher reads it: every other month's partition
    // is never scanned. In a transaction rolled back, so no worker sees the waiting row and
    // nothing the engine stores is lost. The customer's other waiting rows (a July event whose
    // dispatch has not run yet) are set aside inside it, so the March row is the only one read.
    await eventually(
      async () =>
        (await db.query(`SELECT count(*)::int AS n FROM event_dispatch WHERE customer_id = 'c-1'`)).rows[0]
          .n === 0,
    );
    const stored = await db.query<{ seq: string }>(
      `SELECT seq FROM events WHERE id = 'march-1' AND customer_id = 'c-1'`,
    );
    const seq = stored.rows[0]?.seq as string;
    const plan = await engine.services.db
      .transaction()
      .execute(async (trx) => {
        await sql`DELETE FROM event_dispatch WHERE customer_id = 'c-1'`.execute(trx);
        await sql`INSERT INTO event_dispatch (seq, customer_id, bucket) VALUES (${seq}, 'c-1', '2031-03-01')`.execute(
          trx,
        );
        const explained = await pendingEventsQuery(trx, ['c-1']).explain('json', sql`analyze`);
        throw Object.assign(new Error('roll back'), { explained });
      })
      .catch((e: { explained?: Record<string, unknown>[] }) => e.explained ?? []);
    const scans: { relation: string; loops: number; rows: number }[] = [];
    const walk = (node: Record<string, unknown>) => {
      if (typeof node['Relation Name'] === 'string')
        scans.push({
          relation: node['Relation Name'],
          loops: Number(node['Actual Loops']),
          rows: Number(node['Actual Rows']) * Number(node['Actual Loops']),
        });
      for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
    };
    walk((plan[0] as { 'QUERY PLAN': { Plan: Record<string, unknown> }[] })['QUERY PLAN'][0]?.Plan ?? {});
    const partitions = scans.filter((s) => s.relation.startsWith('events'));
    expect(partitions.length).toBeGreaterThan(5);
    const read = partitions.filter((s) => s.loops > 0).map((s) => s.relation);
    expect(read).toContain('events_2031_03');
    // One partition per waiting row, never every month. A row committed by the engine between the
    // set-aside and the plan (a stage change of c-1's, computed on the moved clock) reads its own.
    const waiting = scans.find((s) => s.relation === 'event_dispatch')?.rows ?? 0;
    expect(waiting).toBeGreaterThanOrEqual(1);
    expect(read.length).toBeLessThanOrEqual(waiting);
  });

  it('reads only the months a range names (partition pruning)', async () => {
    const plan = (
      await db.query(
        `EXPLAIN SELECT count(*) FROM events WHERE bucket >= '2031-04-01' AND bucket < '2031-05-01' AND customer_id = 'c-1'`,
      )
    ).rows
      .map((r) => r['QUERY PLAN'])
      .join('\n');
    expect(plan).toContain('events_2031_04');
    for (const other of [
      'events_2031_03',
      'events_2031_05',
      'events_before',
      'events_kept',
      'events_default',
    ]) {
      expect(plan).not.toContain(other);
    }
  });

  it('sets no purchase aside while a month cannot go (no order counted twice)', async () => {
    clock.set('2032-05-10T08:00:00Z');
    expect((await retain(0)).made).toEqual(['2032-04-01', '2032-05-01', '2032-06-01', '2032-07-01']);
    // A long reader holds `events`: the drop gives up after its lock timeout, and the copy of
    // March's order, made under the same lock, is rolled back with it.
    await whileReading(engine.databaseUrl, 'events', async () => {
      await expect(retain(400)).rejects.toThrow(/lock timeout/);
    });
    expect(await months()).toContain('events_2031_03');
    expect(await count(`id = 'order-1' AND customer_id = 'c-1'`)).toBe(1);
  });

  it('drops whole months past retention, keeps the rest and the purchases', async () => {
    // 400 days after 2031-04-06: March's events are all older than that, April's are not.
    const { made, dropped } = await retain(400);
    expect(dropped).toEqual(['events_2031_02', 'events_2031_03', 'events_before']);
    expect(made).toEqual([]);
    expect(await months()).not.toContain('events_2031_03');
    // Received on 31 March: c-2's turn-1 goes with March; c-3's (April) stays.
    expect(await count(`id IN ('march-1', 'turn-1') AND customer_id IN ('c-1', 'c-2')`)).toBe(0);
    expect(await count(`(id, customer_id) IN (('april-1', 'c-1'), ('turn-1', 'c-3'))`)).toBe(2);
    // The purchase is set aside with its sequence number: RFM and predictions still count it.
    const kept = await db.query(
      `SELECT tableoid::regclass::text AS part, type FROM events WHERE id = 'order-1'`,
    );
    expect(kept.rows).toEqual([{ part: 'events_kept', type: 'order.placed' }]);
    await recomputeAllMetrics(engine.services.db, DEFAULT_LIFECYCLE.orders, clock.now());
    const metrics = await db.query(`SELECT orders, revenue FROM customer_metrics WHERE customer_id = 'c-1'`);
    expect(metrics.rows).toEqual([{ orders: 1, revenue: '30.00' }]);
    // The keys of the dropped events went with them; the purchase's stayed, with it.
    const keys = await db.query(
      `SELECT id, bucket::text FROM event_keys WHERE customer_id IN ('c-1', 'c-2')
         AND id IN ('march-1', 'turn-1', 'order-1', 'april-1', 'july-1', 'july-twice') ORDER BY id`,
    );
    expect(keys.rows).toEqual([
      { id: 'april-1', bucket: '2031-04-01' },
      { id: 'july-1', bucket: '2031-07-01' },
      { id: 'july-twice', bucket: '2031-07-01' },
      { id: 'order-1', bucket: 'infinity' },
    ]);
    // Nothing more to do the next time.
    expect(await retain(400)).toEqual({ made: [], dropped: [] });
    // Once its month is dropped, an event is no longer known: sent again, it is accepted again.
    // A purchase is kept, so it stays known.
    expect((await send({ id: 'march-1', customerId: 'c-1', type: 'page.viewed' })).body).toMatchObject({
      duplicate: false,
    });
    expect(
      (await send({ id: 'order-1', customerId: 'c-1', type: 'order.placed', data: { amount: '30.00' } }))
        .body,
    ).toMatchObject({ duplicate: true });
    expect(await count(`id = 'march-1' AND customer_id = 'c-1'`)).toBe(1);
  });

  it('keeps events of a month not made yet, and moves them when it is', async () => {
    clock.set('2033-01-15T10:00:00Z');
    expect((await send({ id: 'early-1', customerId: 'c-4', type: 'page.viewed' })).status).toBe(202);
    const before = await db.query(
      `SELECT seq, tableoid::regclass::text AS part FROM events WHERE id = 'early-1'`,
    );
    expect(before.rows[0].part).toBe('events_default');
    expect((await send({ id: 'early-1', customerId: 'c-4', type: 'page.viewed' })).status).toBe(202);
    await retain(0);
    const after = await db.query(
      `SELECT seq, tableoid::regclass::text AS part FROM events WHERE id = 'early-1'`,
    );
    expect(after.rows).toEqual([{ seq: before.rows[0].seq, part: 'events_2033_01' }]);
    expect(await count(`tableoid = 'events_default'::regclass`)).toBe(0);
  });
});
