import { compiledVersions, versionKey } from '../catalog/compiled-versions.ts';
import { winnersFor } from '../catalog/experiment-winners.ts';
import { eventTriggersOf } from '../catalog/published-workflows.ts';
import { envFor } from '../core/env.ts';
import type { CustomerView } from '../customers/types.ts';
import { afterEvents, STAGE_CHANGED } from '../lifecycle/stages.ts';
import { type DispatchJob, QUEUES } from '../queue/queues.ts';
import { evaluateCustomers } from '../segments/evaluate.ts';
import { lockingCustomers } from '../store/customers.ts';
import { readingPendingEvents } from '../store/event-dispatch.ts';
import type { StoredEvent } from '../store/events.ts';
import { insertPausedEntries, type PausedEntry } from '../store/paused-entries.ts';
import { committingWith, together } from '../store/pipeline.ts';
import { lastStarts, lockingActiveRunsOf, type RunRow, readingLastStarts, runSlot } from '../store/runs.ts';
import { readingSegmentDefinitions } from '../store/segments.ts';
import { listingPublished, pausedAmong } from '../store/workflows.ts';
import { ActiveRuns } from './active-runs.ts';
import { bestTimeCustomers, hourProfiles } from './best-time-hours.ts';
import type { RuntimeDeps } from './deps.ts';
import { admission, enroll } from './enroll.ts';
import { offer } from './offer.ts';
import { UnitOfWork } from './unit-of-work.ts';

/** Up to this many customers, a dispatch reads their last starts with its first reads. */
const FEW_CUSTOMERS = 4;

export interface Dispatched {
  events: number;
  transitions: number;
  /** The runs moved into steps under a driver from `driver`, as committed. */
  runs: RunRow[];
  /** The customers as this dispatch read (and restaged) them. */
  customers: Map<string, CustomerView>;
  /** Journeys with an event trigger that this dispatch saw unpaused. */
  unpaused: Set<string>;
}

/**
 * A dispatch the process that took the events runs itself (workers/inline-dispatch.ts) drives
 * the runs it moves into steps under a job no process has fetched: a dispatch job due only
 * after `afterSeconds`, written in the dispatch's transaction when there are such runs, its id
 * the runs' driver. If the process dies while driving, the job comes due and hands the runs to
 * step jobs; while the driving goes on, the dispatcher keeps it from coming due.
 */
export interface Watch {
  id: string;
  afterSeconds: number;
}

/** A watch job for these customers' runs, driven as `watch.id`; `id`: this job's own (a renewal's). */
export function watchJob(watch: Watch, customers: string[], id = watch.id) {
  const data: DispatchJob = { customers, watch: true, driver: watch.id };
  return { id, data, startAfter: watch.afterSeconds };
}

/**
 * Offers the waiting events of these customers to journeys, oldest first: first to the runs
 * already active (exit goals, waits, inboxes), then to triggers that may start new runs. One
 * transaction holds the customers' row locks, so each customer's events apply in order and at
 * most one process handles a customer at a time. The stage changes those events cause apply in
 * the same transaction, after them.
 */
export async function dispatchCustomers(
  deps: RuntimeDeps,
  customerIds: string[],
  driver?: (run: RunRow) => string | null,
  watch?: Watch,
): Promise<Dispatched> {
  const ids = [...new Set(customerIds)].sort();
  const uow = new UnitOfWork(deps);
  if (driver) uow.driveWith(driver);
  const customers = new Map<string, CustomerView>();
  const unpaused = new Set<string>();
  const events = await committingWith(deps.db, async (trx) => {
    // One round trip: the customers' locks, then their runs' (the order every locker keeps). For
    // a few customers, their last starts in every published journey too (see readingLastStarts).
    const few = ids.length <= FEW_CUSTOMERS;
    const [locked, pending, listed, activeRuns, segments, lastStartsRead] = await together(trx, [
      lockingCustomers(trx, ids),
      readingPendingEvents(trx, ids),
      listingPublished(trx),
      lockingActiveRunsOf(trx, ids),
      readingSegmentDefinitions(trx),
      readingLastStarts(trx, few ? ids : [], 'published'),
    ] as const);
    for (const [id, row] of locked) customers.set(id, deps.customers.view(row));
    if (pending.length === 0) return { value: 0 };
    const now = deps.now();
    const triggers = await eventTriggersOf(trx, listed);
    // Paused journeys, under a share lock so a resume waits for this batch's records of them.
    const published = [...triggers.values()].flat();
    const maybePaused = published.filter((w) => w.paused);
    const paused = await pausedAmong(trx, [...new Set(maybePaused.map((w) => w.workflowId))], true);
    for (const w of published) if (!w.paused) unpaused.add(w.workflowId);
    const wouldEnter: PausedEntry[] = [];
    const compiled = await compiledVersions(trx, activeRuns);
    const active = new ActiveRuns();
    for (const r of activeRuns) active.set(runSlot(r.workflowId, r.customerId, r.key), r);
    const buyers = [
      ...new Set(pending.filter((e) => e.type === deps.lifecycle.orders.event).map((e) => e.customerId)),
    ];
    const unstaged = [...customers.values()].filter((c) => c.stage === null).map((c) => c.id);
    const mayChangeStage = buyers.length > 0 || unstaged.length > 0;
    const candidates = [...pending.map((e) => e.type), ...(mayChangeStage ? [STAGE_CHANGED] : [])].flatMap(
      (type) => (triggers.get(type) ?? []).map((t) => t.workflowId),
    );
    const lastStart = few
      ? lastStartsRead
      : await lastStarts(trx, [...customers.keys()], [...new Set(candidates)]);
    const mayWaitForBestTime = [
      ...activeRuns.map((r) => ({
        customerId: r.customerId,
        workflow: compiled.get(versionKey(r.workflowId, r.version)),
      })),
      ...pending.flatMap((e) =>
        [...(triggers.get(e.type) ?? []), ...(mayChangeStage ? (triggers.get(STAGE_CHANGED) ?? []) : [])].map(
          (w) => ({ customerId: e.customerId, workflow: w.compiled }),
        ),
      ),
    ];
    const hours = await hourProfiles(deps, trx, bestTimeCustomers(deps, mayWaitForBestTime, customers));
    const offerAll = (events: StoredEvent[]) => {
      for (const event of events) {
        const customer = customers.get(event.customerId);
        for (const run of active.of(event.customerId)) {
          if (run.status !== 'active') continue;
          const wf = compiled.get(versionKey(run.workflowId, run.version));
          if (!wf) continue;
          const env = envFor(customer, run, now, deps.config.defaultTimezone, {
            experiments: winnersFor(deps.db, run.workflowId),
            hours: hours.get(run.customerId),
          });
          offer(deps, uow, wf, run, event, env);
          if (run.status !== 'active') active.delete(runSlot(run.workflowId, run.customerId, run.key));
        }
        for (const wf of triggers.get(event.type) ?? []) {
          if (paused.has(wf.workflowId)) {
            const a = admission(wf, event, customer, { active, lastStart }, now, deps.config.defaultTimezone);
            if (a.ok)
              wouldEnter.push({
                workflowId: wf.workflowId,
                customerId: event.customerId,
                eventSeq: event.seq,
                key: a.key,
                at: now,
              });
            continue;
          }
          const slots = { active, lastStart };
          const started = enroll(deps, uow, wf, event, customer, slots, now, {
            hours: hours.get(event.customerId),
          });
          if (typeof started === 'object') compiled.set(versionKey(wf.workflowId, wf.version), wf.compiled);
        }
      }
    };
    offerAll(pending);
    uow.dispatched(pending.map((e) => e.seq));
    const stageChanges = mayChangeStage ? await afterEvents(trx, deps.lifecycle, now, buyers, unstaged) : [];
    // Conditions on the stage events see the new stage (the only column the update changed).
    for (const e of stageChanges) {
      const customer = customers.get(e.customerId);
      if (customer) customer.stage = String(e.data.to);
    }
    offerAll(stageChanges);
    await insertPausedEntries(trx, wouldEnter);
    // Segment membership follows what just happened (purchases, stages, profile data).
    if (pending.some((e) => !e.type.startsWith('segment.'))) {
      await evaluateCustomers(trx, deps.boss, deps.customers, [...customers.keys()], now, segments);
    }
    if (watch && uow.borrowed().length > 0) uow.insertAlso(QUEUES.dispatch, [watchJob(watch, ids)]);
    // The runs are locked, so their revisions cannot have moved (the write would fail if they had).
    return { value: pending.length, last: uow.flush(trx) };
  });
  if (events > 0) uow.committed();
  return { events, transitions: uow.transitions, runs: uow.borrowed(), customers, unpaused };
}
