import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decideUncertain,
  getOutbox,
  markSent,
  type OutboxWrite,
  putOutbox,
} from '../../engine/src/store/outbox.ts';
import { maintainOutbox } from '../../engine/src/workers/partition-retention.ts';
import { eventually, startTestEngine, TestClock, type TestEngine } from '../support/engine.ts';

/*
 * `outbox` partitioned by the month each message was created in, on a clock the test moves: a
 * message's key still says "once" across months (a retry rewrites the row where it was created),
 * and the retention job drops months of messages that are done, keeping those still in flight or
 * held for a person.
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

const months = async () =>
  (
    await db.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'outbox'::regclass ORDER BY 1`,
    )
  ).rows.map((r) => r.name);
const retain = (days: number) => maintainOutbox(engine.services.runtime, days);
const message = (key: string, status: string, at: string): OutboxWrite => ({
  key,
  customer_id: 'c-1',
  workflow_id: 'welcome',
  run_id: null,
  channel: 'email',
  template: 'welcome',
  locale: 'en',
  purpose: 'journey',
  status,
  reason: null,
  detail: null,
  to_enc: null,
  content_enc: null,
  created_at: new Date(at),
  deferred_until: null,
});
const put = (key: string, status: string, at: string) =>
  putOutbox(engine.services.db, message(key, status, at), new Date(at));
const where = async (key: string) =>
  (
    await db.query(
      `SELECT o.tableoid::regclass::text AS part, o.status, k.bucket::text AS key_month
       FROM outbox o JOIN outbox_keys k ON k.key = o.key WHERE o.key = $1`,
      [key],
    )
  ).rows;

describe('outbox partitioned by month created', () => {
  it('has the months around the engine clock made at start, and drops nothing unless told', async () => {
    await eventually(async () => (await months()).includes('outbox_2031_05'));
    expect(await months()).toEqual([
      'outbox_2031_02',
      'outbox_2031_03',
      'outbox_2031_04',
      'outbox_2031_05',
      'outbox_before',
      'outbox_default',
      'outbox_kept',
    ]);
  });

  it('rewrites a message retried in a later month where it was created, once', async () => {
    expect(await put('turn-1', 'pending', '2031-03-31T23:59:50Z')).toMatchObject({ status: 'pending' });
    // The retry comes after the month's turn: same key, same row, March's partition.
    expect(await put('turn-1', 'deferred', '2031-04-01T00:00:10Z')).toMatchObject({ status: 'deferred' });
    expect(await where('turn-1')).toEqual([
      { part: 'outbox_2031_03', status: 'deferred', key_month: '2031-03-01' },
    ]);
    // Read and updated by key, in its month.
    const sent = await markSent(
      engine.services.db,
      'turn-1',
      'smtp',
      'id-1',
      new Date('2031-04-01T00:00:20Z'),
    );
    expect(sent).toMatchObject({ status: 'sent', provider_id: 'id-1' });
    expect(await getOutbox(engine.services.db, 'turn-1')).toMatchObject({ status: 'sent' });
    // Done, a message is not written again.
    expect(await put('turn-1', 'pending', '2031-04-02T00:00:00Z')).toBeNull();
  });

  it('stores once two writes of one key at the same moment on either side of a month turn', async () => {
    const both = await Promise.all([
      put('race-1', 'pending', '2031-04-30T23:59:59Z'),
      put('race-1', 'pending', '2031-05-01T00:00:01Z'),
    ]);
    expect(both.every((row) => row?.status === 'pending')).toBe(true);
    const rows = await where('race-1');
    expect(rows).toHaveLength(1);
    expect(['outbox_2031_04', 'outbox_2031_05']).toContain(rows[0].part);
  });

  it('drops months past retention but messages in flight or held for a person', async () => {
    await put('march-sent', 'sent', '2031-03-12T09:00:00Z');
    await put('march-pending', 'pending', '2031-03-12T09:00:00Z');
    await put('march-uncertain', 'uncertain', '2031-03-12T09:00:00Z');
    await put('april-sent', 'sent', '2031-04-20T09:00:00Z');
    clock.set('2031-07-15T10:00:00Z');
    // 90 days before 15 July is 16 April: February and March go, April stays.
    expect(await retain(90)).toEqual({
      made: ['2031-06-01', '2031-07-01', '2031-08-01', '2031-09-01'],
      dropped: ['outbox_2031_02', 'outbox_2031_03', 'outbox_before'],
    });
    expect(await where('march-sent')).toEqual([]);
    expect(await where('turn-1')).toEqual([]);
    expect(await where('march-pending')).toEqual([
      { part: 'outbox_kept', status: 'pending', key_month: 'infinity' },
    ]);
    expect(await where('march-uncertain')).toEqual([
      { part: 'outbox_kept', status: 'uncertain', key_month: 'infinity' },
    ]);
    expect(await where('april-sent')).toEqual([
      { part: 'outbox_2031_04', status: 'sent', key_month: '2031-04-01' },
    ]);
    // What was set aside is still found and moved on by its key.
    expect(await markSent(engine.services.db, 'march-pending', 'smtp', 'id-2', clock.now())).toMatchObject({
      status: 'sent',
    });
    expect(
      await decideUncertain(engine.services.db, 'march-uncertain', 'drop', 'ops@example.com', clock.now()),
    ).toMatchObject({ status: 'failed', reason: 'dropped' });
    // A key whose message went is free again: the same key now is a new message, in July.
    expect(await put('march-sent', 'pending', '2031-07-15T10:00:00Z')).toMatchObject({ status: 'pending' });
    expect(await where('march-sent')).toEqual([
      { part: 'outbox_2031_07', status: 'pending', key_month: '2031-07-01' },
    ]);
    expect(await retain(90)).toEqual({ made: [], dropped: [] });
  });

  it('moves nothing when a drop waits behind a reader, and drops it next time', async () => {
    await put('april-pending', 'pending', '2031-04-21T09:00:00Z');
    clock.set('2031-08-20T10:00:00Z');
    await retain(0);
    const reader = new pg.Client({ connectionString: engine.databaseUrl });
    await reader.connect();
    try {
      await reader.query('BEGIN');
      await reader.query('SELECT count(*) FROM outbox');
      await expect(retain(90)).rejects.toThrow(/lock timeout/);
    } finally {
      await reader.query('ROLLBACK');
      await reader.end();
    }
    expect(await where('april-pending')).toEqual([
      { part: 'outbox_2031_04', status: 'pending', key_month: '2031-04-01' },
    ]);
    // 90 days before 20 August is 22 May: April goes, its pending message is set aside; March's
    // messages set aside earlier are done by now and that old, so they go too.
    expect((await retain(90)).dropped).toEqual(['outbox_2031_04']);
    expect(await where('april-pending')).toEqual([
      { part: 'outbox_kept', status: 'pending', key_month: 'infinity' },
    ]);
    expect(await where('april-sent')).toEqual([]);
    expect(await where('march-pending')).toEqual([]);
    expect(await where('march-uncertain')).toEqual([]);
    expect(
      (await db.query(`SELECT key FROM outbox_keys WHERE key LIKE 'march-%' ORDER BY key`)).rows,
    ).toEqual([{ key: 'march-sent' }]);
  });
});
