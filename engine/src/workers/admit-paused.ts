import { publishedWorkflow } from '../catalog/published-workflows.ts';
import { lockCustomers } from '../store/customers.ts';
import { eventsBySeq } from '../store/events.ts';
import { claimPausedEntries, deletePausedEntries } from '../store/paused-entries.ts';
import { committingWith } from '../store/pipeline.ts';
import { lastStarts, lockActiveRunsOf, type RunRow, runSlot } from '../store/runs.ts';
import { bestTimeCustomers, hourProfiles } from './best-time-hours.ts';
import type { RuntimeDeps } from './deps.ts';
import { enroll } from './enroll.ts';
import { UnitOfWork } from './unit-of-work.ts';

const CUSTOMERS_PER_CHUNK = 500;

/**
 * Admits the customers who would have entered a journey while it was paused, a chunk of
 * customers per transaction, each customer's events in the order they came. Admission is checked
 * again now (one active run, re-entry), so two events of one customer start at most what they
 * would have started live. Restartable: entries leave the table with the runs they start.
 */
export async function admitPausedEntries(
  deps: RuntimeDeps,
  workflowId: string,
): Promise<{ admitted: number; skipped: number }> {
  let admitted = 0;
  let skipped = 0;
  for (;;) {
    const chunk = await committingWith(deps.db, async (trx) => {
      const wf = await publishedWorkflow(trx, workflowId);
      if (!wf || wf.paused) return { value: null };
      const entries = await claimPausedEntries(trx, workflowId, CUSTOMERS_PER_CHUNK);
      if (entries.length === 0) return { value: null };
      const ids = [...new Set(entries.map((e) => e.customerId))].sort();
      const locked = await lockCustomers(trx, ids);
      const events = new Map(
        (
          await eventsBySeq(
            trx,
            entries.map((e) => e.eventSeq),
          )
        ).map((e) => [e.seq, e]),
      );
      const active = new Map<string, RunRow>(
        (await lockActiveRunsOf(trx, ids))
          .filter((r) => r.workflowId === workflowId)
          .map((r) => [runSlot(r.workflowId, r.customerId, r.key), r]),
      );
      const lastStart = await lastStarts(trx, ids, [workflowId]);
      const views = new Map([...locked].map(([id, row]) => [id, deps.customers.view(row)]));
      const runs = ids.map((customerId) => ({ customerId, workflow: wf.compiled }));
      const hours = await hourProfiles(deps, trx, bestTimeCustomers(deps, runs, views));
      const uow = new UnitOfWork(deps);
      const now = deps.now();
      let started = 0;
      for (const entry of entries) {
        const event = events.get(entry.eventSeq);
        if (!event) continue;
        const slots = { active, lastStart };
        const customer = views.get(entry.customerId);
        const run = enroll(deps, uow, wf, event, customer, slots, now, {
          hours: hours.get(entry.customerId),
        });
        if (typeof run === 'object') started += 1;
      }
      await deletePausedEntries(trx, workflowId, ids);
      // Only new runs: no revision to have moved.
      return { value: { started, entries: entries.length, uow }, last: uow.flush(trx) };
    });
    if (!chunk) break;
    chunk.uow.committed();
    admitted += chunk.started;
    skipped += chunk.entries - chunk.started;
  }
  if (admitted + skipped > 0)
    deps.log.info(`${workflowId}: admitted ${admitted} paused entries, ${skipped} no longer eligible`);
  return { admitted, skipped };
}
