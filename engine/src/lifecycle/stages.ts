import type { PgBoss } from 'pg-boss';
import type { CustomerCodec } from '../customers/codec.ts';
import { evaluateSegment } from '../segments/evaluate.ts';
import {
  type MetricsScope,
  readingCutPointsEarly,
  recomputeAllMetrics,
  refreshingMetrics,
  scheduledScope,
} from '../store/customer-metrics.ts';
import { type StageChange, updateStages, updatingStagesRecorded } from '../store/customer-stages.ts';
import type { Db } from '../store/db.ts';
import type { StoredEvent } from '../store/events.ts';
import { storeEvents, toRows } from '../store/ingest.ts';
import { run, together } from '../store/pipeline.ts';
import { listSegments } from '../store/segments.ts';
import { timeOrderedId } from '../time-ordered-id.ts';
import { STAGE_CHANGED } from '../triggers/engine-events.ts';
import { type LifecycleConfig, stageRules } from './config.ts';

export { STAGE_CHANGED } from '../triggers/engine-events.ts';

/**
 * After a dispatch batch: purchases update these customers' metrics, and customers whose stage
 * may have moved (buyers, and customers never staged) get it re-decided. Runs inside the
 * dispatch transaction, which holds these customers: their stage changes are stored as events
 * and returned for the dispatcher to apply in the same transaction, after the events that
 * caused them (a round through the dispatch queue would lock and read each customer again).
 */
export async function afterEvents(
  trx: Db,
  lifecycle: LifecycleConfig,
  now: Date,
  buyers: string[],
  unstaged: string[],
): Promise<StoredEvent[]> {
  const candidates = [...new Set([...buyers, ...unstaged])];
  if (candidates.length === 0) return [];
  // The metrics' statements and the stages' go together (one round trip): in order, so the
  // stages see the refreshed metrics.
  const early = buyers.length > 0 && (await run(trx, readingCutPointsEarly(trx)));
  const metrics = refreshingMetrics(trx, lifecycle.orders, now, buyers, early);
  const answers: unknown[] = await together(trx, [
    ...metrics,
    // The changes are stored as events in the same statement: ids for all, used by those that change.
    updatingStagesRecorded(trx, stageRules(lifecycle), now, candidates, {
      type: STAGE_CHANGED,
      ids: candidates.map(() => timeOrderedId(now.getTime())),
    }),
  ]);
  return answers[metrics.length] as StoredEvent[];
}

/**
 * The full pass: metrics, scores, ABC, every customer's stage (inactivity moves people) and
 * every segment (windowed counts and stages changed under them). Purchases are counted again
 * for `counted` (by default what the schedule counts: store/customer-metrics.ts).
 */
export async function recomputeLifecycle(
  db: Db,
  boss: PgBoss,
  codec: CustomerCodec,
  lifecycle: LifecycleConfig,
  now: Date,
  counted?: MetricsScope,
) {
  const scope = counted ?? (await scheduledScope(db, lifecycle.orders));
  const buyers = await recomputeAllMetrics(db, lifecycle.orders, now, scope);
  const changes = await db.transaction().execute(async (trx) => {
    const changed = await updateStages(trx, stageRules(lifecycle), now, null);
    await emitStageChanges(trx, boss, changed, now);
    return changed;
  });
  let segmentChanges = 0;
  for (const segment of await listSegments(db)) {
    const r = await evaluateSegment(db, boss, codec, segment, now);
    segmentChanges += r.entered + r.left;
  }
  return { buyers, counted: scope, stageChanges: changes.length, segmentChanges };
}

const stageEvent = (c: StageChange) => ({
  customerId: c.customerId,
  type: STAGE_CHANGED,
  data: { from: c.from, to: c.to },
});

async function emitStageChanges(trx: Db, boss: PgBoss, changes: StageChange[], now: Date): Promise<void> {
  const rows = toRows(changes.map(stageEvent), now);
  for (let i = 0; i < rows.length; i += 5000) await storeEvents(trx, boss, rows.slice(i, i + 5000), now);
}
