import type { RunRow } from '../store/runs.ts';

/** The run's steps are this job's to run: it is the run's driver and a step is due. */
export const isDriving = (run: RunRow | undefined, jobId: string): run is RunRow =>
  !!run &&
  run.status === 'active' &&
  run.phase === 'steps' &&
  run.driver === jobId &&
  run.awaiting === null &&
  run.step !== null;

/** The idempotency key of the step a run is at: run + state entry + step. */
export const stepKey = (run: RunRow) => `${run.id}:${run.entry}:${run.step}`;
