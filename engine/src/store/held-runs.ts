import { sql } from 'kysely';
import type { Db } from './db.ts';
import { monthBucket } from './monthly-partitions.ts';

/**
 * Runs of a paused journey wait before their next step with no job driving them (driver NULL,
 * still in their steps). These are the only active runs in that position: every other run in
 * its steps has a driver or awaits an event.
 */

/**
 * Holds runs whose step job is about to run their next step. Only where that job still drives the
 * run at the revision it read; the caller holds the share lock that proves the journey is paused.
 */
export async function holdRuns(
  db: Db,
  runs: { id: string; driver: string; rev: number }[],
  at: Date,
): Promise<{ id: string; state: string; step: number | null }[]> {
  if (runs.length === 0) return [];
  const held = await sql<{ id: string; state: string; step: number | null }>`
    UPDATE runs r SET driver = NULL, rev = r.rev + 1, updated_at = ${at}
    FROM unnest(${runs.map((r) => r.id)}::uuid[], ${runs.map((r) => r.driver)}::uuid[],
                ${runs.map((r) => r.rev)}::int[]) AS v(id, driver, rev)
    WHERE r.id = v.id AND r.driver = v.driver AND r.rev = v.rev AND r.status = 'active'
    RETURNING r.id, r.state, r.step`.execute(db);
  if (held.rows.length > 0) {
    await db
      .insertInto('run_history')
      .values(
        held.rows.map((r) => ({
          run_id: r.id,
          at,
          bucket: monthBucket(at),
          type: 'run.held',
          state: r.state,
          step: null,
          detail: JSON.stringify({ reason: 'paused', stepIndex: r.step }),
        })),
      )
      .execute();
  }
  return held.rows;
}

/** The held runs of a journey, locked, for its resume. */
export async function lockHeldRuns(
  db: Db,
  workflowId: string,
): Promise<{ id: string; entry: number; step: number; attempt: number }[]> {
  const rows = await db
    .selectFrom('runs')
    .select(['id', 'entry', 'step', 'attempt'])
    .where('workflow_id', '=', workflowId)
    .where('status', '=', 'active')
    .where('phase', '=', 'steps')
    .where('driver', 'is', null)
    .where('awaiting', 'is', null)
    .where('step', 'is not', null)
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map((r) => ({ id: r.id, entry: r.entry, step: r.step as number, attempt: r.attempt }));
}

/** Hands held runs to new step jobs (queued by the caller in the same transaction). */
export async function setDrivers(db: Db, drivers: { id: string; driver: string }[], at: Date): Promise<void> {
  if (drivers.length === 0) return;
  const moved = await sql<{ id: string; state: string }>`
    UPDATE runs r SET driver = v.driver, rev = r.rev + 1, updated_at = ${at}
    FROM unnest(${drivers.map((d) => d.id)}::uuid[], ${drivers.map((d) => d.driver)}::uuid[]) AS v(id, driver)
    WHERE r.id = v.id
    RETURNING r.id, r.state`.execute(db);
  await db
    .insertInto('run_history')
    .values(
      moved.rows.map((r) => ({
        run_id: r.id,
        at,
        bucket: monthBucket(at),
        type: 'run.resumed',
        state: r.state,
        step: null,
        detail: null,
      })),
    )
    .execute();
}
