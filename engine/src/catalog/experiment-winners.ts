import type { ExperimentWinners } from '../compiler/experiment-route.ts';
import type { Db } from '../store/db.ts';
import { listDecisions } from '../store/experiments.ts';

/**
 * The winners of decided experiments, per workflow, as this process last read them. Transitions
 * need them synchronously (the pure core takes them as data in its env), so the workers read the
 * small decisions table every few seconds (workers/experiments-refresh.ts) and after each
 * decision they make. Kept per database, as an engine is one database.
 */
const byDb = new WeakMap<Db, Map<string, Map<string, number>>>();

/** The winners of one workflow's experiments (undefined: none decided). */
export function winnersFor(db: Db, workflowId: string): ExperimentWinners | undefined {
  return byDb.get(db)?.get(workflowId);
}

/** Reads the decisions again. */
export async function refreshWinners(db: Db): Promise<void> {
  const next = new Map<string, Map<string, number>>();
  for (const d of await listDecisions(db)) {
    if (d.verdict !== 'winner' || d.arm === null) continue;
    const of = next.get(d.workflowId) ?? new Map<string, number>();
    of.set(d.experiment, d.arm);
    next.set(d.workflowId, of);
  }
  byDb.set(db, next);
}
