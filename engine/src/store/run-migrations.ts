import { sql } from 'kysely';
import type { Db } from './db.ts';
import { monthBucket } from './monthly-partitions.ts';
import type { PersistedSnapshot } from './run-types.ts';

/** The active runs pinned to a workflow version (locked when moving them). */
export async function activeRunIdsOfVersion(
  db: Db,
  workflowId: string,
  version: number,
  lock: boolean,
): Promise<string[]> {
  const rows = await db
    .selectFrom('runs')
    .select('id')
    .where('workflow_id', '=', workflowId)
    .where('version', '=', version)
    .where('status', '=', 'active')
    .orderBy('id')
    .$if(lock, (q) => q.forUpdate())
    .execute();
  return rows.map((r) => r.id);
}

/**
 * When each run came to rest where it is: its last move (state entered, step finished, timer
 * set, earlier migration). A wait moved to a new version counts its time from here.
 */
export async function restingSince(db: Db, runIds: string[]): Promise<Map<string, Date>> {
  if (runIds.length === 0) return new Map();
  const rows = await sql<{ run_id: string; at: Date }>`
    SELECT DISTINCT ON (run_id) run_id, at FROM run_history_entries
    WHERE run_id = ANY(${runIds}::uuid[])
      AND type IN ('run.started', 'state.entered', 'step.done', 'step.failed', 'timer.set', 'run.migrated')
    ORDER BY run_id, id DESC, n DESC`.execute(db);
  return new Map(rows.rows.map((r) => [r.run_id, r.at]));
}

export interface MigratedRun {
  id: string;
  version: number;
  state: string;
  entry: number;
  snapshot: PersistedSnapshot;
  history: Record<string, unknown>;
}

/** Moves runs to their new version and position, with a `run.migrated` history row each. */
export async function writeMigratedRuns(db: Db, runs: MigratedRun[], at: Date): Promise<void> {
  if (runs.length === 0) return;
  await sql`
    UPDATE runs r SET version = v.version, state = v.state, entry = v.entry, snapshot = v.snapshot,
      rev = r.rev + 1, updated_at = ${at}
    FROM unnest(${runs.map((r) => r.id)}::uuid[], ${runs.map((r) => r.version)}::int[],
                ${runs.map((r) => r.state)}::text[], ${runs.map((r) => r.entry)}::int[],
                ${runs.map((r) => JSON.stringify(r.snapshot))}::jsonb[]) AS v(id, version, state, entry, snapshot)
    WHERE r.id = v.id`.execute(db);
  await db
    .insertInto('run_history')
    .values(
      runs.map((r) => ({
        run_id: r.id,
        at,
        bucket: monthBucket(at),
        type: 'run.migrated',
        state: r.state,
        step: null,
        detail: JSON.stringify(r.history),
      })),
    )
    .execute();
}
