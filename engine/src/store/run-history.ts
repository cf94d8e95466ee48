import type { Db } from './db.ts';

/** A run's history, every entry in order (rows are stored one per cause, see the migration). */
export async function historyOf(db: Db, runId: string, limit = 2000) {
  const rows = await db
    .selectFrom('run_history_entries')
    .select(['at', 'type', 'state', 'step', 'detail'])
    .where('run_id', '=', runId)
    .orderBy('id')
    .orderBy('n')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ at: r.at, type: r.type, state: r.state, step: r.step, detail: r.detail }));
}
