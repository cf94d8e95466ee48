import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maintainRunHistory } from '../../engine/src/workers/partition-retention.ts';
import { eventually, startTestEngine, TestClock, type TestEngine } from '../support/engine.ts';
import { publish, runDetail, runsOf, send } from '../support/journeys.ts';
import { partitionsOf, whileReading } from '../support/partitions.ts';

/*
 * `run_history` partitioned by the month each row was written in, on a clock the test moves: the
 * retention job makes the months ahead and drops those past retention, but the history of a run
 * still active, or ended within retention, stays whole (set aside in `run_history_kept`) until
 * the run has ended long enough ago.
 */
const clock = new TestClock('2031-03-10T12:00:00Z');
let engine: TestEngine;
let db: pg.Client;

beforeAll(async () => {
  engine = await startTestEngine({ TEND_PLUGINS: '' }, { clock });
  db = new pg.Client({ connectionString: engine.databaseUrl });
  await db.connect();
  await publish(
    engine,
    `
id: short
name: Short
trigger: { event: short.start }
entry: { reenter: always }
start: done
states:
  done: { end: completed }
`,
  );
  await publish(
    engine,
    `
id: long
name: Long
trigger: { event: long.start }
start: hold
states:
  hold:
    wait: { event: long.finish, timeout: 400d }
    on: { long.finish: done, timeout: done }
  done: { end: finished }
`,
  );
});
afterAll(async () => {
  await db?.end();
  await engine?.stop();
});

const months = () => partitionsOf(db, 'run_history');
const retain = (days: number) => maintainRunHistory(engine.services.runtime, days);

async function runOf(customer: string, workflow: string, status: string) {
  return eventually(async () => {
    const [run] = await runsOf(engine, customer, workflow);
    return run?.status === status ? run : undefined;
  });
}
const historyOf = async (customer: string, workflow: string) => {
  const [run] = await runsOf(engine, customer, workflow);
  return (await runDetail(engine, run?.id as string)).history.map((h) => `${h.type}:${h.state ?? ''}`);
};
const partsOf = async (customer: string) =>
  (
    await db.query<{ part: string }>(
      `SELECT DISTINCT h.tableoid::regclass::text AS part FROM run_history h JOIN runs r ON r.id = h.run_id
       WHERE r.customer_id = $1 ORDER BY 1`,
      [customer],
    )
  ).rows.map((r) => r.part);

describe('run history partitioned by month written', () => {
  it('has the months around the engine clock made at start, and drops nothing unless told', async () => {
    await eventually(async () => (await months()).includes('run_history_2031_05'));
    expect(await months()).toEqual([
      'run_history_2031_02',
      'run_history_2031_03',
      'run_history_2031_04',
      'run_history_2031_05',
      'run_history_before',
      'run_history_default',
      'run_history_kept',
    ]);
  });

  it("writes a run's history in the month it was written in", async () => {
    await send(engine, 'c-short', 'short.start');
    await send(engine, 'c-long', 'long.start');
    await runOf('c-short', 'short', 'completed');
    await runOf('c-long', 'long', 'active');
    expect(await partsOf('c-short')).toEqual(['run_history_2031_03']);
    expect(await partsOf('c-long')).toEqual(['run_history_2031_03']);
  });

  it('drops the months past retention but the history of runs active or ended since', async () => {
    clock.set('2031-06-15T09:00:00Z');
    await retain(0);
    await send(engine, 'c-june', 'short.start');
    await send(engine, 'c-long-2', 'long.start');
    await runOf('c-june', 'short', 'completed');
    await runOf('c-long-2', 'long', 'active');
    clock.set('2031-09-01T09:00:00Z');
    expect((await retain(0)).made).toEqual(['2031-09-01', '2031-10-01', '2031-11-01']);
    await send(engine, 'c-long', 'long.finish');
    await runOf('c-long', 'long', 'completed');
    const long = await historyOf('c-long', 'long');
    const june = await historyOf('c-june', 'short');
    expect(long.at(-1)).toBe('run.ended:done');

    // 90 days before 5 September is 7 June: February to May go, June stays.
    clock.set('2031-09-05T09:00:00Z');
    expect(await retain(90)).toEqual({
      made: [],
      dropped: [
        'run_history_2031_02',
        'run_history_2031_03',
        'run_history_2031_04',
        'run_history_2031_05',
        'run_history_before',
      ],
    });
    // c-long's run ended four days ago: its March rows were set aside, its history is whole.
    expect(await historyOf('c-long', 'long')).toEqual(long);
    // (Wherever else the run wrote since, a stage change say, its March rows are set aside.)
    expect(await partsOf('c-long')).toEqual(
      expect.arrayContaining(['run_history_2031_09', 'run_history_kept']),
    );
    expect(await partsOf('c-long')).not.toContain('run_history_2031_03');
    // c-short's run ended in March: its history went with the month; the run itself stays.
    expect(await historyOf('c-short', 'short')).toEqual([]);
    expect((await runsOf(engine, 'c-short', 'short'))[0]).toMatchObject({ status: 'completed' });
    expect(await historyOf('c-june', 'short')).toEqual(june);
    // Nothing more to do the next time.
    expect(await retain(90)).toEqual({ made: [], dropped: [] });
  });

  it('loses and doubles nothing when a drop waits behind a reader, then drops it next time', async () => {
    clock.set('2031-12-20T09:00:00Z');
    await retain(0);
    const active = await historyOf('c-long-2', 'long');
    // A long reader holds `run_history`: rows of June's active run are set aside by then (rows,
    // no lock), the drop itself gives up after its lock timeout and June stays.
    await whileReading(engine.databaseUrl, 'run_history', async () => {
      await expect(retain(90)).rejects.toThrow(/lock timeout/);
    });
    expect(await months()).toContain('run_history_2031_06');
    expect(await historyOf('c-long-2', 'long')).toEqual(active);
    expect(await partsOf('c-long-2')).toContain('run_history_kept');
    expect(await partsOf('c-long-2')).not.toContain('run_history_2031_06');

    // 90 days before 20 December is 21 September: June to August go. c-long's run ended on
    // 1 September, now longer ago than that: its rows set aside go too, its September rows stay
    // until September goes.
    const { dropped } = await retain(90);
    expect(dropped).toEqual(['run_history_2031_06', 'run_history_2031_07', 'run_history_2031_08']);
    expect(await historyOf('c-june', 'short')).toEqual([]);
    expect(await partsOf('c-long')).toContain('run_history_2031_09');
    expect(await partsOf('c-long')).not.toContain('run_history_kept');
    expect(await historyOf('c-long-2', 'long')).toEqual(active);
    // The active run goes on, and its history with it.
    await send(engine, 'c-long-2', 'long.finish');
    await runOf('c-long-2', 'long', 'completed');
    expect((await historyOf('c-long-2', 'long')).slice(0, active.length)).toEqual(active);
    expect(await partsOf('c-long-2')).toEqual(
      expect.arrayContaining(['run_history_2031_12', 'run_history_kept']),
    );
  });
});
