import { QUEUES } from '../queue/queues.ts';
import { whileHolding } from '../store/advisory-lock.ts';
import { oldestPending } from '../store/event-dispatch.ts';
import { workflowsToAdmit } from '../store/paused-entries.ts';
import { customersInUnfinishedJobs } from '../store/queue-jobs.ts';
import { admitPausedEntries } from './admit-paused.ts';
import type { RuntimeDeps } from './deps.ts';
import { dispatchCustomers } from './dispatch.ts';
import { every } from './every.ts';
import { recomputeWhenDue, sweepTimeTriggers } from './time-triggers.ts';

const LOCK = 'tend-sweeper';
const DISPATCH_CHUNK = 500;
const LOST_EVENTS_EVERY = 5;

/**
 * The engine's clockwork, once a second in whichever process holds the sweeper lock: due time
 * triggers, the scheduled lifecycle recompute, events whose dispatch job was lost, and entries
 * a resumed journey has yet to admit. Everything
 * it does is also safe without the lock (claims and row locks decide); the lock saves the work.
 */
export function startSweeper(deps: RuntimeDeps, intervalMs: number): { stop(): Promise<void> } {
  let round = 0;
  let lastSeen = '0';
  // A stop ends a bulk enrollment after its page in flight, not after a million customers.
  const stopping = new AbortController();
  const sweeps = every(
    intervalMs,
    async () => {
      await whileHolding(deps.db, LOCK, async () => {
        const now = deps.now();
        await sweepTimeTriggers(deps, now, stopping.signal);
        await recomputeWhenDue(deps, now);
        if (round++ % LOST_EVENTS_EVERY === 0) {
          lastSeen = await dispatchLost(deps, lastSeen);
          // A resume that admits who would have entered, cut short by a crash.
          for (const id of await workflowsToAdmit(deps.db)) await admitPausedEntries(deps, id);
        }
      });
    },
    (error) => deps.log.warn('sweep failed', { error }),
  );
  return {
    async stop() {
      stopping.abort();
      await sweeps.stop();
    },
  };
}

/**
 * Events still waiting since the previous look, whose customers no dispatch job names any more
 * (it ran out of retries), are dispatched here. Events that only queue behind a backlog are left
 * to their jobs: dispatching them here would be work done twice, and a false alarm.
 */
async function dispatchLost(deps: RuntimeDeps, lastSeen: string): Promise<string> {
  const oldest = await oldestPending(deps.db, 1000);
  const waiting = [
    ...new Set(oldest.filter((p) => BigInt(p.seq) <= BigInt(lastSeen)).map((p) => p.customerId)),
  ];
  const queued = await customersInUnfinishedJobs(deps.db, QUEUES.dispatch, waiting);
  const lost = waiting.filter((c) => !queued.has(c));
  if (lost.length > 0) {
    deps.log.warn(`dispatching the waiting events of ${lost.length} customer(s) whose dispatch job is gone`);
    await dispatchCustomers(deps, lost.slice(0, DISPATCH_CHUNK));
  }
  return oldest.at(-1)?.seq ?? '0';
}
