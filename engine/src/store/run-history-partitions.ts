import { sql } from 'kysely';
import type { Db } from './db.ts';
import {
  hasLegacyPartition,
  type MonthlyTable,
  makeMonthsAround,
  monthsBefore,
  partitionName,
  withTableLocked,
} from './monthly-partitions.ts';

/*
 * `run_history` is partitioned by `bucket`, the first day (UTC) of the month a row was written in
 * (migration 2026-12-12-28; the months themselves: monthly-partitions.ts). Retention is by run,
 * not by row: no row of a run goes while the run is active or ended within retention. A month's
 * rows of such runs are set aside in `run_history_kept` before the month is dropped, and leave it
 * once their run has ended longer ago; its rows in months still kept go with those months.
 */
export const RUN_HISTORY: MonthlyTable = { name: 'run_history' };

/** Makes the months of run history around `now` (the engine's clock) that do not exist yet. */
export const makeRunHistoryMonthsAround = (db: Db, now: Date) => makeMonthsAround(db, RUN_HISTORY, now);

/**
 * Drops the months written before `cutoff`, and `run_history_before` once its newest row was,
 * after setting aside the rows of runs still active or ended since `cutoff`; then deletes the
 * rows set aside earlier whose run has now ended before it.
 */
export async function dropRunHistoryBefore(db: Db, cutoff: Date): Promise<string[]> {
  const dropped: string[] = [];
  for (const bucket of await monthsBefore(db, RUN_HISTORY, cutoff)) {
    const name = partitionName(RUN_HISTORY, bucket);
    await dropMonth(db, name, cutoff);
    dropped.push(name);
  }
  if (await hasLegacyPartition(db, RUN_HISTORY)) {
    const newest = await sql<{ at: Date }>`
      SELECT at FROM run_history_before ORDER BY id DESC LIMIT 1`.execute(db);
    const at = newest.rows[0]?.at;
    if (at === undefined || at < cutoff) {
      await dropMonth(db, 'run_history_before', cutoff);
      dropped.push('run_history_before');
    }
  }
  await sql`
    DELETE FROM run_history_kept h USING runs r
    WHERE r.id = h.run_id AND r.status <> 'active' AND r.ended_at < ${cutoff}`.execute(db);
  return dropped;
}

async function dropMonth(db: Db, name: string, cutoff: Date): Promise<void> {
  const month = sql.id(name);
  // Set aside first, by rows and without the table's lock, so transitions go on meanwhile: a
  // reader sees the rows in the month or (after the commit) set aside, never both. Nothing writes
  // into a month this old again (writers name the month of the engine's clock), so what is left
  // there is what goes; should the drop below time out, the next hour's pass finds nothing more
  // to set aside and drops it then.
  await sql`
    WITH moved AS (
      DELETE FROM ${month} h USING runs r
      WHERE r.id = h.run_id AND (r.status = 'active' OR r.ended_at >= ${cutoff})
      RETURNING h.id, h.run_id, h.at, h.type, h.state, h.step, h.detail
    )
    INSERT INTO run_history (id, run_id, at, type, state, step, detail, bucket)
    SELECT id, run_id, at, type, state, step, detail, 'infinity' FROM moved`.execute(db);
  // Under the parent's lock: dropping the partition alone would lock it first and the parent
  // after, the other order, and deadlock with a reader of the history.
  await withTableLocked(db, RUN_HISTORY, (trx) => sql`DROP TABLE ${month}`.execute(trx));
}
