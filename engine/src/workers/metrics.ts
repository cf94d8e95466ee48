/** Per-queue counters of this process's workers: batches, jobs, time spent. */
export class WorkerMetrics {
  readonly #queues = new Map<string, { batches: number; jobs: number; ms: number }>();

  /** Wraps a batch handler so its batches are counted. */
  track<J extends unknown[], R>(queue: string, handler: (jobs: J) => Promise<R>): (jobs: J) => Promise<R> {
    return async (jobs) => {
      const started = performance.now();
      try {
        return await handler(jobs);
      } finally {
        const q = this.#queues.get(queue) ?? { batches: 0, jobs: 0, ms: 0 };
        q.batches += 1;
        q.jobs += jobs.length;
        q.ms += performance.now() - started;
        this.#queues.set(queue, q);
      }
    };
  }

  /** Counters so far, with the mean batch size and time per job. */
  snapshot(): Record<string, { batches: number; jobs: number; meanBatch: number; msPerJob: number }> {
    return Object.fromEntries(
      [...this.#queues].map(([name, q]) => [
        name,
        {
          batches: q.batches,
          jobs: q.jobs,
          meanBatch: Number((q.jobs / q.batches).toFixed(1)),
          msPerJob: Number((q.ms / Math.max(q.jobs, 1)).toFixed(2)),
        },
      ]),
    );
  }
}
