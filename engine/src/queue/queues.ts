/** The engine's job queues and what each job carries. */
export const QUEUES = {
  /** Offer stored events to journeys, per customer, in order. */
  dispatch: 'tend-dispatch',
  /** Run one plugin step of one run. */
  step: 'tend-step',
  /** Run the first steps of many runs started together (bulk enrollment), one job for all. */
  steps: 'tend-steps',
  /** Fire a run's timer (delay, event timeout, step timeout). */
  timer: 'tend-timer',
  /** Steps that exhausted pg-boss's own retries (e.g. crashed the process every time). */
  stepDead: 'tend-step-dead',
  /** Evaluate one segment over the whole base (after it is created or changed). */
  segment: 'tend-segment',
  /** Carry out a bulk action on the customers of a filter, from where it stopped. */
  bulk: 'tend-bulk',
} as const;

export interface DispatchJob {
  customers: string[];
  /**
   * A watch job (workers/dispatch.ts#Watch): written due later by a process that dispatched its
   * own events and drives their steps; it runs only if that process died while driving, and
   * then hands the runs it was driving to step jobs before dispatching what waits.
   */
  watch?: boolean;
  /** The driver a watch job stands for (its runs' `driver`), the same through its renewals. */
  driver?: string;
}

/**
 * Drive a run through its steps. The job does not name a step: it runs whatever step the run is
 * at, for as long as the run's `driver` is this job (see runtime/step-worker.ts).
 */
export interface StepJob {
  run: string;
}

/**
 * Drive many runs through their steps, as a step job drives one: bulk enrollment starts
 * thousands of runs a second, and a job each (an insert, a fetch and a completion) held their
 * first steps back. A retry hands each run still in its charge to a step job of its own, which
 * carries the crash allowance (see workers/shared-steps.ts).
 */
export interface SharedStepsJob {
  runs: string[];
}

export interface TimerJob {
  run: string;
  entry: number;
  state: string;
  purpose: 'delay' | 'timeout' | 'step';
  /**
   * When the timer is due, on the engine's clock. pg-boss counts the delay on the database's:
   * a job that runs before this moment waits again for the rest (timer-worker.ts).
   */
  dueAt?: string;
}

export interface SegmentJob {
  segment: string;
}

export interface BulkJob {
  action: string;
}
