import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../engine/src/store/db.ts';
import { migrateToLatest } from '../../engine/src/store/migrate.ts';
import { committingWith, sendWith } from '../../engine/src/store/pipeline.ts';
import { isRunsChanged, type RunBatch, writingRunBatch } from '../../engine/src/store/run-writes.ts';
import type { NewRun } from '../../engine/src/store/runs.ts';
import { createTestDatabase } from '../support/database.ts';

/*
 * The batched run write (engine/src/store/run-writes.ts) goes out with its transaction's COMMIT,
 * unanswered. A run that another writer moved since it was read must then fail the statement,
 * not be left out of it: this checks that nothing of the batch, nor of the transaction, lands.
 */
let db: Db;

beforeAll(async () => {
  db = createDb(await createTestDatabase(), { max: 2, prepare: true }).db;
  await migrateToLatest(db);
});
afterAll(async () => {
  await db.destroy();
});

const at = new Date('2026-12-07T10:00:00Z');
const empty: RunBatch = {
  newRuns: [],
  updates: [],
  history: [],
  inboxAdd: [],
  inboxRemove: [],
  ended: [],
  results: [],
  dispatched: [],
  assignments: [],
};

function newRun(customerId: string): NewRun {
  return {
    id: randomUUID(),
    workflowId: 'conflict',
    version: 1,
    customerId,
    key: null,
    status: 'active',
    state: 'first',
    phase: 'wait-event',
    step: null,
    awaiting: 'reply',
    outcome: null,
    entry: 1,
    driver: null,
    attempt: 0,
    snapshot: {
      value: 'first',
      context: { vars: {}, steps: {}, lastEvent: null, outcome: null, error: null },
    },
    startedAt: at,
    updatedAt: at,
  };
}

const write = (batch: Partial<RunBatch>) =>
  committingWith(db, async (trx) => ({
    value: null,
    last: sendWith(trx, writingRunBatch(trx, { ...empty, ...batch }, at), async () => {}, 0),
  }));

const rowsOf = async (id: string) => ({
  run: (await sql<{ rev: number; state: string }>`SELECT rev, state FROM runs WHERE id = ${id}`.execute(db))
    .rows,
  history: (
    await sql<{ type: string }>`SELECT type FROM run_history WHERE run_id = ${id} ORDER BY at, type`.execute(
      db,
    )
  ).rows,
});

describe('the batched run write, a run moved meanwhile', () => {
  it('applies updates that still have the revision read, and bumps it', async () => {
    const run = newRun('c-ok');
    await write({
      newRuns: [run],
      history: [{ runId: run.id, at, type: 'run.started', state: null, step: null, detail: null }],
    });
    await write({
      updates: [{ ...run, rev: 0, state: 'second' }],
      history: [
        {
          runId: run.id,
          at: new Date(at.getTime() + 1000),
          type: 'state.entered',
          state: 'second',
          step: null,
          detail: null,
        },
      ],
    });
    expect(await rowsOf(run.id)).toEqual({
      run: [{ rev: 1, state: 'second' }],
      history: [{ type: 'run.started' }, { type: 'state.entered' }],
    });
  });

  it('fails with SQLSTATE 40001 naming the run, and nothing of the transaction lands', async () => {
    const moved = newRun('c-moved');
    const other = newRun('c-other');
    await write({ newRuns: [moved, other] });
    await sql`UPDATE runs SET rev = rev + 1 WHERE id = ${moved.id}`.execute(db);
    const failure = await committingWith(db, async (trx) => {
      // Earlier in the same transaction: rolled back too.
      await sql`UPDATE runs SET state = 'touched' WHERE id = ${other.id}`.execute(trx);
      const batch = {
        ...empty,
        newRuns: [newRun('c-new')],
        updates: [
          { ...other, rev: 0, state: 'second' },
          { ...moved, rev: 0, state: 'second' },
        ],
        history: [
          { runId: other.id, at, type: 'state.entered', state: 'second', step: null, detail: null },
          { runId: moved.id, at, type: 'state.entered', state: 'second', step: null, detail: null },
        ],
      };
      return { value: null, last: sendWith(trx, writingRunBatch(trx, batch, at), async () => {}, 0) };
    }).catch((error: unknown) => error);
    expect(isRunsChanged(failure)).toBe(true);
    expect((failure as Error).message).toContain(moved.id);
    expect((failure as Error).message).not.toContain(other.id);
    expect(await rowsOf(moved.id)).toEqual({ run: [{ rev: 1, state: 'first' }], history: [] });
    expect(await rowsOf(other.id)).toEqual({ run: [{ rev: 0, state: 'first' }], history: [] });
    const created = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM runs WHERE customer_id = 'c-new'`.execute(db);
    expect(created.rows[0]?.n).toBe(0);
  });
});
