import type { JobInsert } from 'pg-boss';
import { EXPERIMENT_ASSIGNED } from '../compiler/experiment-route.ts';
import type { Advanced, HistoryEntry } from '../core/types.ts';
import { jobId, startAfterSeconds } from '../queue/boss.ts';
import { QUEUES, type SharedStepsJob, type StepJob, type TimerJob } from '../queue/queues.ts';
import type { Db } from '../store/db.ts';
import type { EventRef } from '../store/events.ts';
import { type Sent, sendWith } from '../store/pipeline.ts';
import type { RunStatus } from '../store/run-types.ts';
import { type Assignment, writingRunBatch } from '../store/run-writes.ts';
import type { NewRun, RunRow, RunWrite } from '../store/runs.ts';
import type { StepResult } from '../store/step-results.ts';
import type { RuntimeDeps } from './deps.ts';

type HistoryRow = HistoryEntry & { runId: string };

/**
 * Everything one batch of transitions writes, flushed in one transaction: snapshots, history,
 * inbox changes, step results and the jobs the transitions asked for. Either all of it lands
 * or none of it does, which is what makes a kill -9 at any moment harmless.
 */
export class UnitOfWork {
  readonly #newRuns = new Map<string, NewRun>();
  readonly #updates = new Map<string, RunWrite>();
  readonly #history: HistoryRow[] = [];
  /** Per run, the row this unit writes its history entries into (see #append). */
  readonly #historyRow = new Map<string, HistoryRow>();
  readonly #inboxAdd: { runId: string; seq: string; bucket: string }[] = [];
  readonly #inboxRemove: { runId: string; seq: string }[] = [];
  /** Runs this unit ends, with how. */
  readonly #ended = new Map<string, RunStatus>();
  readonly #results: StepResult[] = [];
  readonly #dispatched: string[] = [];
  readonly #assignments: Assignment[] = [];
  /** Jobs to insert, with when each is due by the engine's clock (none: at once). */
  readonly #steps: { id: string; data: StepJob; due?: Date }[] = [];
  readonly #timers: { id: string; data: TimerJob; due: Date }[] = [];
  /** With `shareSteps`: runs moved into steps share a job, this many to a job. */
  #shareSize = 0;
  readonly #shared: { id: string; data: SharedStepsJob }[] = [];
  /** Jobs of other queues, by queue, written with this unit's (`insertAlso`). */
  readonly #alsoInsert: [string, JobInsert[]][] = [];
  /** Runs whose next step a job in this process runs itself, instead of a new step job. */
  readonly #driving = new Map<string, string>();
  /** Drivers for runs this unit moves into steps without naming them first (dispatch). */
  #driverFor: ((run: RunRow) => string | null) | null = null;
  /** The runs that got their driver from #driverFor. */
  readonly #borrowed = new Set<RunRow>();
  /** The run objects written, so their revision can follow the commit. */
  readonly #written = new Set<RunRow>();
  transitions = 0;
  #updatedAt: Date | null = null;

  private readonly deps: RuntimeDeps;

  constructor(deps: RuntimeDeps) {
    this.deps = deps;
  }

  /** Lets the job `jobId` run `runId`'s next step itself instead of queueing a new job. */
  drive(runId: string, jobId: string): void {
    this.#driving.set(runId, jobId);
  }

  /** Like `drive`, for every run this unit moves into steps: `driver` names the job, or null. */
  driveWith(driver: (run: RunRow) => string | null): void {
    this.#driverFor = driver;
  }

  /**
   * Runs this unit moves into steps without a driver share one job per `size` of them instead
   * of a step job each (bulk enrollment: see workers/shared-steps.ts).
   */
  shareSteps(size: number): void {
    this.#shareSize = size;
  }

  /** A run whose driver can no longer run its steps gets a step job of its own. */
  handOver(run: RunRow, key: string): void {
    this.#queueStep(run, key);
    this.touch(run);
  }

  /** Records a transition of `run` (mutated in place so later events in the batch see it). */
  advance(run: RunRow, advanced: Advanced, isNew = false): void {
    if (advanced.entry !== run.entry || advanced.step !== run.step) run.attempt = 0;
    run.entry = advanced.entry;
    run.snapshot = advanced.snapshot;
    run.status = advanced.status;
    run.state = advanced.state;
    run.phase = advanced.phase;
    run.step = advanced.step;
    run.outcome = advanced.outcome;
    // Whatever moved the run answered the step that waited, if one did.
    run.awaiting = null;
    if (advanced.phase !== 'steps') run.driver = null;
    this.transitions += 1;
    for (const effect of advanced.effects) {
      if (effect.kind === 'timer') {
        this.timer(
          run.id,
          { run: run.id, entry: effect.entry, state: effect.state, purpose: effect.purpose },
          effect.dueAt,
        );
      } else {
        const named = this.#driving.get(run.id);
        const driver = named ?? this.#driverFor?.(run) ?? null;
        if (!driver) {
          if (this.#shareSize > 0) this.#shareStep(run, effect.key);
          else this.#queueStep(run, effect.key);
        } else {
          run.driver = driver;
          if (!named) this.#borrowed.add(run);
        }
      }
    }
    if (isNew) {
      const { rev: _rev, ...write } = this.#write(run);
      this.#newRuns.set(run.id, {
        ...write,
        workflowId: run.workflowId,
        version: run.version,
        customerId: run.customerId,
        key: run.key,
        startedAt: new Date(run.startedAt),
      });
    } else this.touch(run);
    this.#append(run.id, advanced.history);
    for (const h of advanced.history) {
      if (h.type !== EXPERIMENT_ASSIGNED || !h.detail) continue;
      const { experiment, arm, route } = h.detail as { experiment: string; arm: number; route: string };
      this.#assignments.push({
        customerId: run.customerId,
        runId: run.id,
        workflowId: run.workflowId,
        experiment,
        arm,
        route,
        at: h.at,
      });
    }
    if (advanced.status !== 'active') this.#ended.set(run.id, advanced.status);
  }

  /** A retryable step failure: the same step again after `delayMs`, in a new job. */
  retry(run: RunRow, key: string, delayMs: number): void {
    run.attempt += 1;
    this.#queueStep(run, key, new Date(this.deps.now().getTime() + delayMs));
    this.touch(run);
  }

  /** The step asked to run later (quiet hours): the same step at `until`, in a new job. */
  defer(run: RunRow, key: string, until: Date): void {
    // Named after the deferring job too: a step that defers again to the same moment (its clock
    // behind the database's) must get a new job, not collide with the one running it.
    this.#queueStep(run, `${key}:deferred-${until.getTime()}:${run.driver ?? ''}`, until);
    this.touch(run);
  }

  timer(runId: string, data: TimerJob, dueAt: Date): void {
    this.#timers.push({
      id: jobId(`${runId}:${data.entry}:${data.purpose}`),
      data: { ...data, dueAt: dueAt.toISOString() },
      due: dueAt,
    });
  }

  /**
   * Records that a run changed (or that its inbox did): its row is written back with a new
   * revision, so a concurrent writer that read the old one notices.
   */
  touch(run: RunRow): void {
    this.#written.add(run);
    const pending = this.#newRuns.get(run.id);
    if (pending) {
      this.#newRuns.set(run.id, { ...pending, ...this.#write(run), startedAt: pending.startedAt });
      return;
    }
    this.#updates.set(run.id, this.#write(run));
  }

  note(runId: string, entry: HistoryEntry): void {
    this.#append(runId, [entry]);
  }

  queue(run: RunRow, event: EventRef): void {
    this.#inboxAdd.push({ runId: run.id, seq: event.seq, bucket: event.bucket });
    this.touch(run);
  }

  unqueue(runId: string, seq: string): void {
    this.#inboxRemove.push({ runId, seq });
  }

  result(r: StepResult): void {
    this.#results.push(r);
  }

  dispatched(seqs: string[]): void {
    this.#dispatched.push(...seqs);
  }

  /**
   * Sends everything, as a transaction's last statements (store/pipeline.ts#committingWith).
   * Should a run's revision have changed since it was read, the write fails with SQLSTATE 40001
   * (store/run-writes.ts#isRunsChanged) and nothing of the unit lands.
   */
  flush(trx: Db): Sent<void> {
    const now = this.deps.now();
    // Due times become delays from the engine's clock: pg-boss counts them on the database's.
    const job = <T>(j: { id: string; data: T; due?: Date }) => ({
      id: j.id,
      data: j.data,
      ...(j.due ? { startAfter: startAfterSeconds(j.due, now) } : {}),
    });
    const queued: [string, JobInsert[]][] = [
      [QUEUES.step, this.#steps.map(job)],
      [QUEUES.steps, this.#shared],
      [QUEUES.timer, this.#timers.map(job)],
      ...this.#alsoInsert,
    ];
    const inserts = queued.filter(([, jobs]) => jobs.length > 0);
    // The jobs go with the run write, unanswered: should it fail, they roll back with it.
    return sendWith(
      trx,
      writingRunBatch(
        trx,
        {
          newRuns: [...this.#newRuns.values()],
          updates: [...this.#updates.values()],
          history: this.#history,
          // A run that ended needs no inbox any more.
          inboxAdd: this.#inboxAdd.filter((a) => !this.#ended.has(a.runId)),
          inboxRemove: this.#inboxRemove,
          ended: [...this.#ended.keys()],
          results: this.#results,
          dispatched: this.#dispatched,
          assignments: this.#assignments,
        },
        this.#updatedAt ?? now,
      ),
      (db) => Promise.all(inserts.map(([queue, jobs]) => this.deps.boss.insert(queue, jobs, { db }))),
      inserts.length,
    );
  }

  /** Jobs of other queues written with this unit's (a dispatch's watch job). */
  insertAlso(queue: string, jobs: JobInsert[]): void {
    this.#alsoInsert.push([queue, jobs]);
  }

  /** Runs moved into steps under a driver from `driveWith` (some may have moved on since). */
  borrowed(): RunRow[] {
    return [...this.#borrowed];
  }

  /** After a commit: the written runs now have the next revision. */
  committed(): void {
    const { metrics } = this.deps;
    metrics.transitions.inc(this.transitions);
    if (this.#newRuns.size > 0) metrics.runsStarted.inc(this.#newRuns.size);
    for (const status of this.#ended.values()) metrics.runsEnded.inc({ status });
    for (const run of this.#written) if (!this.#newRuns.has(run.id)) run.rev += 1;
  }

  /** Hands the run's steps to a new job (for the step with this key, at its current attempt). */
  #queueStep(run: RunRow, key: string, due?: Date): void {
    const id = jobId(`${key}:${run.attempt}`);
    run.driver = id;
    this.#steps.push({ id, data: { run: run.id }, ...(due ? { due } : {}) });
  }

  /** Puts the run in the last shared job, or in a new one when that is full. */
  #shareStep(run: RunRow, key: string): void {
    let job = this.#shared.at(-1);
    if (!job || job.data.runs.length >= this.#shareSize) {
      // Named after its first run's step, as a step job is: written twice, it is one job.
      job = { id: jobId(`${key}:${run.attempt}:shared`), data: { runs: [] } };
      this.#shared.push(job);
    }
    job.data.runs.push(run.id);
    run.driver = job.id;
  }

  #write(run: RunRow): RunWrite {
    // One moment for the whole unit: it commits at once.
    this.#updatedAt ??= this.deps.now();
    return {
      id: run.id,
      rev: run.rev,
      status: run.status,
      state: run.state,
      phase: run.phase,
      step: run.step,
      awaiting: run.awaiting,
      outcome: run.outcome,
      entry: run.entry,
      driver: run.driver,
      attempt: run.attempt,
      snapshot: run.snapshot,
      updatedAt: this.#updatedAt,
    };
  }

  /**
   * One history row per run and unit of work: the first entry, with the entries that follow it
   * at the same moment in `detail.after` (the view `run_history_entries` lists them all, in
   * order). A row costs its insert and two index entries, and a batch often records several
   * entries for one run (a transition, then an event it ignored).
   */
  #append(runId: string, entries: HistoryEntry[]): void {
    for (const entry of entries) {
      const row = this.#historyRow.get(runId);
      if (row && row.at.getTime() === entry.at.getTime()) {
        const following = { type: entry.type, state: entry.state, step: entry.step, detail: entry.detail };
        const after = row.detail?.after;
        // The first follower gives the row a detail of its own: the entry's may be shared.
        if (Array.isArray(after)) after.push(following);
        else row.detail = { ...row.detail, after: [following] };
        continue;
      }
      const head = {
        at: entry.at,
        type: entry.type,
        state: entry.state,
        step: entry.step,
        detail: entry.detail,
        runId,
      };
      this.#history.push(head);
      this.#historyRow.set(runId, head);
    }
  }
}
