import { setMaxListeners } from 'node:events';
import type { Job, JobWithMetadata } from 'pg-boss';
import { BULK_RETRIES } from '../queue/boss.ts';
import {
  type BulkJob,
  type DispatchJob,
  QUEUES,
  type SegmentJob,
  type SharedStepsJob,
  type StepJob,
  type TimerJob,
} from '../queue/queues.ts';
import { evaluateSegment } from '../segments/evaluate.ts';
import { finishBulkAction } from '../store/bulk-actions.ts';
import { getSegment } from '../store/segments.ts';
import { driveBorrowed, handOverDispatched } from './borrowed-drivers.ts';
import { runBulkAction } from './bulk-actions.ts';
import { handleDeadSteps } from './dead-steps.ts';
import type { RuntimeDeps } from './deps.ts';
import { dispatchCustomers } from './dispatch.ts';
import { startExperiments } from './experiments-refresh.ts';
import { InlineDispatch } from './inline-dispatch.ts';
import { WorkerMetrics } from './metrics.ts';
import { startOverviewRefresh } from './overview-refresh.ts';
import { startPartitionRetention } from './partition-retention.ts';
import { startPredictionRefresh } from './predictions-refresh.ts';
import { handleSharedSteps } from './shared-steps.ts';
import { handleSteps } from './step-worker.ts';
import { startSweeper } from './sweeper.ts';
import { handleTimers } from './timer-worker.ts';

/** How often a large base's overview is counted again (the dashboard says when it was). */
const OVERVIEW_REFRESH_MS = 60_000;
/** Customers locked in one dispatch transaction. */
const DISPATCH_CHUNK = 500;

export interface Workers {
  metrics: WorkerMetrics;
  /** Dispatches ingested events in this process (workers/inline-dispatch.ts); false: not now. */
  dispatchNow(customers: string[]): boolean;
  stop(): Promise<void>;
}

/**
 * Starts this process's share of the work. Every process runs the same workers; pg-boss hands
 * each job to exactly one of them, and row locks keep each run and customer single-writer.
 */
export async function startWorkers(deps: RuntimeDeps): Promise<Workers> {
  const { boss, config } = deps;
  const shutdown = new AbortController();
  // Every step in flight listens for shutdown; there are many by design.
  setMaxListeners(0, shutdown.signal);
  const metrics = new WorkerMetrics();
  const batch = {
    batchSize: config.batchSize,
    localConcurrency: config.concurrency,
    burstWhenBatchFull: true,
  };

  await boss.work<DispatchJob>(
    QUEUES.dispatch,
    { ...batch, pollingIntervalSeconds: 2, notifyPollingIntervalSeconds: 5 },
    metrics.track(QUEUES.dispatch, async (jobs: Job<DispatchJob>[]) => {
      // A retry, or a watch job come due (its inline dispatcher died while driving): the runs
      // the job's driver left get step jobs of their own, then what waits is dispatched.
      const takingOver = jobs
        .filter((j) => j.retryCount > 0 || j.data.watch)
        .map((j) => ({ id: j.data.driver ?? j.id, data: j.data }));
      if (takingOver.length > 0) await handOverDispatched(deps, takingOver);
      // A first attempt drives the steps of the runs it moves (see borrowed-drivers.ts).
      const driverOf = new Map<string, string>();
      for (const job of jobs) {
        if (job.retryCount > 0 || job.data.watch) continue;
        for (const customer of job.data.customers)
          if (!driverOf.has(customer)) driverOf.set(customer, job.id);
      }
      const customers = [...new Set(jobs.flatMap((j) => j.data.customers))];
      for (let i = 0; i < customers.length; i += DISPATCH_CHUNK) {
        const dispatched = await dispatchCustomers(
          deps,
          customers.slice(i, i + DISPATCH_CHUNK),
          (run) => driverOf.get(run.customerId) ?? null,
        );
        await driveBorrowed(deps, dispatched, new Set(driverOf.values()), shutdown.signal);
      }
    }),
  );
  await boss.work<StepJob>(
    QUEUES.step,
    { ...batch, pollingIntervalSeconds: 2, notifyPollingIntervalSeconds: 5 },
    metrics.track(QUEUES.step, (jobs: Job<StepJob>[]) => handleSteps(deps, jobs, shutdown.signal)),
  );
  await boss.work<SharedStepsJob>(
    QUEUES.steps,
    // A few jobs to a fetch, so that pg-boss fetches again at once while jobs wait (it never does
    // for batches of one); each job is a batch of runs already, run one after the other.
    { ...batch, batchSize: 4, pollingIntervalSeconds: 2, notifyPollingIntervalSeconds: 5 },
    metrics.track(QUEUES.steps, async (jobs: Job<SharedStepsJob>[]) => {
      for (const job of jobs) await handleSharedSteps(deps, job, shutdown.signal);
    }),
  );
  // Timers come due without a notification, so this queue polls at pg-boss's fastest rate.
  await boss.work<TimerJob>(
    QUEUES.timer,
    { ...batch, pollingIntervalSeconds: 0.5, notifyPollingIntervalSeconds: 0.5 },
    metrics.track(QUEUES.timer, (jobs: Job<TimerJob>[]) => handleTimers(deps, jobs, shutdown.signal)),
  );
  // The dead-letter copy keeps the original job's id as sourceId: that id is the run's driver.
  const deadOptions = { batchSize: 20, pollingIntervalSeconds: 2, includeMetadata: true } as const;
  await boss.work<StepJob, unknown, typeof deadOptions>(QUEUES.stepDead, deadOptions, (jobs) =>
    handleDeadSteps(
      deps,
      (jobs as JobWithMetadata<StepJob>[]).map((j) => ({ run: j.data.run, jobId: j.sourceId ?? j.id })),
    ),
  );

  await boss.work<SegmentJob>(QUEUES.segment, { batchSize: 1, pollingIntervalSeconds: 2 }, async ([job]) => {
    const segment = job ? await getSegment(deps.db, job.data.segment) : null;
    if (segment) await evaluateSegment(deps.db, boss, deps.customers, segment, deps.now());
  });
  await boss.work<BulkJob>(QUEUES.bulk, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
    if (!job) return;
    try {
      await runBulkAction(deps, job.data.action);
    } catch (error) {
      // The queue's last try: the action says it stopped, and why, instead of running for ever.
      if (job.retryCount >= BULK_RETRIES)
        await finishBulkAction(deps.db, job.data.action, deps.now(), (error as Error).message);
      throw error;
    }
  });
  const sweeper = startSweeper(deps, config.sweepMs);
  const overview = startOverviewRefresh(deps, OVERVIEW_REFRESH_MS);
  const predictions = startPredictionRefresh(deps);
  const experiments = startExperiments(deps);
  const retention = startPartitionRetention(deps);
  const report = setInterval(() => deps.log.debug('workers', metrics.snapshot()), 10_000);
  report.unref();

  const inline = new InlineDispatch(deps, shutdown.signal);

  return {
    metrics,
    dispatchNow: (customers) => inline.offer(customers),
    async stop() {
      clearInterval(report);
      shutdown.abort(new Error('engine shutting down'));
      await inline.idle();
      await sweeper.stop();
      await overview.stop();
      await predictions.stop();
      await experiments.stop();
      await retention.stop();
    },
  };
}
