import type { HistoryEntry } from '../runtime/types.ts';
import type { Db } from './db.ts';

export async function appendHistory(db: Db, rows: (HistoryEntry & { runId: string })[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('run_history')
    .values(
      rows.map((h) => ({
        run_id: h.runId,
        at: h.at,
        type: h.type,
        state: h.state,
        step: h.step,
        detail: h.detail === null ? null : JSON.stringify(h.detail),
      })),
    )
    .execute();
}

export async function historyOf(db: Db, runId: string, limit = 1000) {
  const rows = await db
    .selectFrom('run_history')
    .select(['at', 'type', 'state', 'step', 'detail'])
    .where('run_id', '=', runId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ at: r.at, type: r.type, state: r.state, step: r.step, detail: r.detail }));
}
