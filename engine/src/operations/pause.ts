import { inTransaction, jobId } from '../queue/boss.ts';
import { QUEUES } from '../queue/queues.ts';
import { audit } from '../store/audit-log.ts';
import type { Db } from '../store/db.ts';
import { lockHeldRuns, setDrivers } from '../store/held-runs.ts';
import { countPausedEntries, discardPausedEntries } from '../store/paused-entries.ts';
import { setPaused } from '../store/workflows.ts';
import { admitPausedEntries } from '../workers/admit-paused.ts';
import type { RuntimeDeps } from '../workers/deps.ts';
import { skipMissedOccurrences } from '../workers/time-triggers.ts';

export interface PauseResult {
  id: string;
  pausedAt: Date;
  alreadyPaused: boolean;
}

/**
 * Pauses a journey at `now` (the engine's time: resume compares it with trigger occurrences):
 * from then on it admits no one (who would have entered is recorded) and holds its customers
 * before their next step. Timers and events still move them between states.
 */
export async function pauseWorkflow(
  db: Db,
  id: string,
  actor: string,
  now: Date,
): Promise<PauseResult | null> {
  return db.transaction().execute(async (trx) => {
    const before = await setPaused(trx, id, { by: actor }, now);
    if (!before) return null;
    const pausedAt = before.pausedAt ?? now;
    if (before.pausedAt === null)
      await audit(trx, [{ actor, action: 'pause', entity: 'workflow', entityId: id, detail: null }], now);
    return { id, pausedAt, alreadyPaused: before.pausedAt !== null };
  });
}

export interface ResumeResult {
  id: string;
  wasPaused: boolean;
  /** Held runs handed back to step jobs. */
  resumed: number;
  /** Customers who would have entered meanwhile, and what became of them. */
  waiting: number;
  admitted: number;
  discarded: number;
  /** Time-trigger occurrences that fell in the pause and were skipped (admit: false). */
  skippedOccurrences: number;
}

/**
 * Resumes a journey. Held customers go on with their next step. Those who would have entered
 * meanwhile are admitted now, in the order their events came (re-entry rules apply as if the
 * events had just arrived), or forgotten, as the operator chooses; missed time-trigger
 * occurrences likewise fire now (the sweeper catches up) or are skipped.
 */
export async function resumeWorkflow(
  deps: RuntimeDeps,
  id: string,
  actor: string,
  admit: boolean,
): Promise<ResumeResult | null> {
  const now = deps.now();
  const first = await deps.db.transaction().execute(async (trx) => {
    const before = await setPaused(trx, id, null, now);
    if (!before) return null;
    if (before.pausedAt === null) {
      return {
        id,
        wasPaused: false,
        resumed: 0,
        waiting: 0,
        admitted: 0,
        discarded: 0,
        skippedOccurrences: 0,
      };
    }
    const held = await lockHeldRuns(trx, id);
    const jobs = held.map((r) => ({
      id: jobId(`${r.id}:${r.entry}:${r.step}:${r.attempt}:resumed-${now.getTime()}`),
      data: { run: r.id },
    }));
    await setDrivers(
      trx,
      held.map((r, i) => ({ id: r.id, driver: jobs[i]?.id ?? '' })),
      now,
    );
    if (jobs.length > 0) await deps.boss.insert(QUEUES.step, jobs, { db: inTransaction(trx) });
    const discarded = admit ? 0 : await discardPausedEntries(trx, id);
    const waiting = admit ? await countPausedEntries(trx, id) : 0;
    const skippedOccurrences = admit ? 0 : await skipMissedOccurrences(deps, trx, id, now);
    await audit(
      trx,
      [
        {
          actor,
          action: 'resume',
          entity: 'workflow',
          entityId: id,
          detail: { admit, resumed: held.length, waiting, discarded, skippedOccurrences },
        },
      ],
      now,
    );
    return { id, wasPaused: true, resumed: held.length, waiting, admitted: 0, discarded, skippedOccurrences };
  });
  if (!first || !admit || first.waiting === 0) return first;
  const { admitted } = await admitPausedEntries(deps, id);
  return { ...first, admitted };
}
