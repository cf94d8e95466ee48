import { compiledVersions, versionKey } from '../catalog/compiled-versions.ts';
import type { CompiledWorkflow } from '../compiler/compile.ts';
import type { CustomerView } from '../customers/types.ts';
import type { HourProfile } from '../store/engagement-hours.ts';
import { committingWith } from '../store/pipeline.ts';
import { isRunsChanged } from '../store/run-writes.ts';
import type { TransitionInput } from '../store/runs.ts';
import { loadForTransition } from '../store/runs.ts';
import { bestTimeCustomers, hourProfiles } from './best-time-hours.ts';
import type { RuntimeDeps } from './deps.ts';
import { UnitOfWork } from './unit-of-work.ts';

const ATTEMPTS = 8;

/**
 * Commits transitions without holding locks while they are computed: read the runs, compute,
 * write where each run still has the revision read. A run that changed meanwhile (an event was
 * queued in its inbox, say) makes the batch read again and recompute; nothing is executed twice,
 * because `compute` only turns already-known results into transitions. Returns the runs as
 * committed (revisions included), ready for the next round.
 */
export async function commitTransitions(
  deps: RuntimeDeps,
  runIds: string[],
  compute: (
    input: TransitionInput<CustomerView> & {
      compiled: Map<string, CompiledWorkflow>;
      /** Engagement hours of the customers in journeys with a best-time wait. */
      hours: Map<string, HourProfile>;
      uow: UnitOfWork;
      now: Date;
    },
  ) => void,
  first?: TransitionInput<CustomerView>,
): Promise<TransitionInput<CustomerView>> {
  let input = first;
  for (let attempt = 1; ; attempt++) {
    input ??= await loadForTransition(deps.db, runIds, (row) => deps.customers.view(row));
    const compiled = await compiledVersions(deps.db, [...input.runs.values()]);
    const runs = [...input.runs.values()].map((r) => ({
      customerId: r.customerId,
      workflow: compiled.get(versionKey(r.workflowId, r.version)),
    }));
    const hours = await hourProfiles(deps, deps.db, bestTimeCustomers(deps, runs, input.customers));
    const uow = new UnitOfWork(deps);
    compute({ ...input, compiled, hours, uow, now: deps.now() });
    try {
      await committingWith(deps.db, async (trx) => ({ value: undefined, last: uow.flush(trx) }));
      uow.committed();
      return input;
    } catch (error) {
      const retry = isRunsChanged(error) || (error as { code?: string }).code === '40P01';
      if (!retry || attempt >= ATTEMPTS) throw error;
      input = undefined;
    }
  }
}
