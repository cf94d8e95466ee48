import type { Job } from 'pg-boss';
import type { SharedStepsJob } from '../queue/queues.ts';
import { handOver } from './borrowed-drivers.ts';
import type { RuntimeDeps } from './deps.ts';
import { handleSteps } from './step-worker.ts';

/*
 * A shared steps job drives the runs a bulk enrollment started together, as a step job drives
 * one: it is their driver, and runs their steps for as long as it stays so. One job for a
 * hundred runs instead of a hundred jobs: a job costs its insert, its fetch and its completion.
 */

/**
 * The first attempt runs the steps. A retry means the process died while driving (or the
 * driving failed): the runs still in its charge get step jobs of their own, which carry the
 * crash allowance and the dead-letter path of DESIGN §4, so one customer's step that crashes
 * the process cannot take the other runs of the job down with it.
 */
export async function handleSharedSteps(
  deps: RuntimeDeps,
  job: Pick<Job<SharedStepsJob>, 'id' | 'data' | 'retryCount'>,
  shutdown: AbortSignal,
): Promise<void> {
  const { runs } = job.data;
  if (job.retryCount > 0) return handOver(deps, runs, new Set([job.id]));
  await handleSteps(
    deps,
    runs.map((run) => ({ id: job.id, data: { run } })),
    shutdown,
  );
}
