import type { PublishedWorkflow } from '../catalog/published-workflows.ts';
import { startRun } from '../core/advance.ts';
import { envFor } from '../core/env.ts';
import type { Advanced } from '../core/types.ts';
import { candidateIds } from '../store/customer-scans.ts';
import { loadCustomers } from '../store/customers.ts';
import { committingWith } from '../store/pipeline.ts';
import { type RunRow, slotsOf } from '../store/runs.ts';
import { claimFires } from '../store/trigger-fires.ts';
import type { Audience } from '../triggers/occurrences.ts';
import { bestTimeCustomers, hourProfiles } from './best-time-hours.ts';
import type { RuntimeDeps } from './deps.ts';
import { enroll } from './enroll.ts';
import { UnitOfWork } from './unit-of-work.ts';

/**
 * Does starting a run read the customer? Not when there is no trigger filter or key and the
 * start state opens with a job step: the first transition only enters it and queues the step.
 * Then a million customers need no profile reads (or decryption) to be enrolled.
 */
function customerAtStart(wf: PublishedWorkflow, deps: RuntimeDeps): boolean {
  const { def, trigger } = wf.compiled;
  if (trigger.where || trigger.key) return true;
  const first = def.states[def.start]?.steps?.[0];
  return !first || deps.inline.isInline(first.uses);
}

function triggerEvent(target: BulkTarget, customerId: string, now: Date) {
  return {
    // Not stored (no seq, no month): a time trigger's start is no event in `events`.
    seq: '',
    bucket: '',
    id: `${target.wf.workflowId}:${target.occurrence}`,
    customerId,
    type: target.triggerType,
    data: { occurrence: target.occurrence },
    occurredAt: now.toISOString(),
  };
}

/** The start of a run that reads no customer, once; each run gets it with its own step keys. */
function startTemplate(
  deps: RuntimeDeps,
  wf: PublishedWorkflow,
  event: ReturnType<typeof triggerEvent>,
  now: Date,
) {
  const probe = {
    id: 'template',
    workflowId: wf.workflowId,
    version: wf.version,
    customerId: event.customerId,
    key: null,
    startedAt: now.toISOString(),
  };
  const start = startRun(
    wf.compiled,
    envFor(undefined, probe, now, deps.config.defaultTimezone),
    event,
    deps.inline,
  );
  return (run: RunRow): Advanced => ({
    ...start,
    effects: start.effects.map((e) =>
      e.kind === 'step' ? { ...e, key: `${run.id}:${e.entry}:${e.index}` } : e,
    ),
  });
}

export interface BulkTarget {
  wf: PublishedWorkflow;
  occurrence: string;
  /** The event type the runs record as their trigger (e.g. `trigger.schedule`). */
  triggerType: string;
  zone: string | null;
  byZone: boolean;
  audience: Audience;
  /** The zone dates are read in (anniversaries of createdAt). */
  localZone: string;
}

/**
 * Enrolls everyone an occurrence is for, set-based: pages of customers selected in SQL, claimed
 * for the occurrence (once per customer, ever), admitted (filter, one active run, re-entry) and
 * started, with their runs, history and first jobs written in one transaction per page.
 * Restartable: a crash loses at most the page in flight, whose claims roll back with it, and a
 * process stopping (`stop`) ends after the page in flight; the occurrence is then not done, and
 * the next sweep, in any process, enrolls the rest.
 */
export async function bulkEnroll(
  deps: RuntimeDeps,
  target: BulkTarget,
  now: Date,
  progress?: (p: { considered: number; enrolled: number }) => void,
  stop?: AbortSignal,
): Promise<{ considered: number; enrolled: number; stopped: boolean }> {
  const { wf } = target;
  const needsCustomers = customerAtStart(wf, deps);
  let after = '';
  let considered = 0;
  let enrolled = 0;
  for (;;) {
    if (stop?.aborted) return { considered, enrolled, stopped: true };
    const ids = await candidateIds(deps.db, {
      zone: target.zone,
      byZone: target.byZone,
      anniversary:
        target.audience.kind === 'anniversary'
          ? {
              attribute: target.audience.attribute,
              monthDays: target.audience.monthDays,
              zone: target.localZone,
            }
          : null,
      after,
      limit: deps.config.enrollChunk,
    });
    if (ids.length === 0) break;
    after = ids.at(-1) as string;
    considered += ids.length;
    const uow = new UnitOfWork(deps);
    // A page's runs share their first steps' jobs (workers/shared-steps.ts).
    uow.shareSteps(deps.config.batchSize);
    enrolled += await committingWith(deps.db, async (trx) => {
      const fresh = await claimFires(trx, wf.workflowId, target.occurrence, ids);
      if (fresh.length === 0) return { value: 0 };
      const rows = needsCustomers ? await loadCustomers(trx, fresh) : new Map();
      const views = new Map([...rows].map(([id, row]) => [id, deps.customers.view(row)]));
      const runs = fresh.map((customerId) => ({ customerId, workflow: wf.compiled }));
      const hours = needsCustomers
        ? await hourProfiles(deps, trx, bestTimeCustomers(deps, runs, views))
        : new Map();
      const slots = await slotsOf(trx, wf.workflowId, fresh);
      // Without a customer to read, every start is the same transition: compute it once.
      const template = needsCustomers
        ? undefined
        : startTemplate(deps, wf, triggerEvent(target, fresh[0] as string, now), now);
      let started = 0;
      for (const id of fresh) {
        const event = triggerEvent(target, id, now);
        const run = enroll(deps, uow, wf, event, views.get(id), slots, now, {
          template,
          hours: hours.get(id),
        });
        if (typeof run === 'object') started += 1;
      }
      // Only new runs: no revision to have moved.
      return { value: started, last: uow.flush(trx) };
    });
    uow.committed();
    progress?.({ considered, enrolled });
  }
  return { considered, enrolled, stopped: false };
}
