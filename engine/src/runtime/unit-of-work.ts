import { inTransaction, jobId } from '../queue/boss.ts';
import { QUEUES, type StepJob, type TimerJob } from '../queue/queues.ts';
import type { Db } from '../store/db.ts';
import { writeRunBatch } from '../store/run-writes.ts';
import type { NewRun, RunRow, RunWrite } from '../store/runs.ts';
import type { StepResult } from '../store/step-results.ts';
import type { RuntimeDeps } from './deps.ts';
import type { Advanced, HistoryEntry } from './types.ts';

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
  readonly #inboxAdd: { runId: string; seq: string }[] = [];
  readonly #inboxRemove: { runId: string; seq: string }[] = [];
  readonly #ended = new Set<string>();
  readonly #results: StepResult[] = [];
  readonly #dispatched: string[] = [];
  readonly #steps: { id: string; data: StepJob; retryDelay: number; expireInSeconds: number }[] = [];
  readonly #timers: { id: string; data: TimerJob; startAfter: Date }[] = [];
  transitions = 0;

  constructor(private readonly deps: RuntimeDeps) {}

  /** Records a transition of `run` (mutated in place so later events in the batch see it). */
  advance(run: RunRow, advanced: Advanced, isNew = false): void {
    run.entry = advanced.entry;
    run.snapshot = advanced.snapshot;
    run.status = advanced.status;
    run.state = advanced.state;
    run.phase = advanced.phase;
    run.step = advanced.step;
    run.outcome = advanced.outcome;
    if (advanced.phase !== 'steps') run.awaiting = null;
    this.transitions += 1;
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
    this.#record(run.id, advanced.history);
    if (advanced.status !== 'active') this.#ended.add(run.id);
    for (const effect of advanced.effects) {
      if (effect.kind === 'step') {
        const retry = this.deps.registry.get(effect.uses)?.retry;
        this.#steps.push({
          id: jobId(effect.key),
          data: {
            run: run.id,
            entry: effect.entry,
            state: effect.state,
            index: effect.index,
            key: effect.key,
            uses: effect.uses,
          },
          retryDelay: retry?.backoffSeconds ?? 1,
          expireInSeconds: (retry?.timeoutSeconds ?? 30) + 60,
        });
      } else {
        this.timer(
          run.id,
          { run: run.id, entry: effect.entry, state: effect.state, purpose: effect.purpose },
          effect.dueAt,
        );
      }
    }
  }

  timer(runId: string, data: TimerJob, dueAt: Date): void {
    this.#timers.push({ id: jobId(`${runId}:${data.entry}:${data.purpose}`), data, startAfter: dueAt });
  }

  /**
   * Records that a run changed (or that its inbox did): its row is written back with a new
   * revision, so a concurrent writer that read the old one notices.
   */
  touch(run: RunRow): void {
    const pending = this.#newRuns.get(run.id);
    if (pending) {
      this.#newRuns.set(run.id, { ...pending, ...this.#write(run), startedAt: pending.startedAt });
      return;
    }
    this.#updates.set(run.id, this.#write(run));
  }

  note(runId: string, entry: HistoryEntry): void {
    this.#history.push({ ...entry, runId });
  }

  queue(run: RunRow, seq: string): void {
    this.#inboxAdd.push({ runId: run.id, seq });
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

  /** Writes everything; returns the runs whose revision changed since they were read. */
  async flush(trx: Db): Promise<{ conflicts: string[] }> {
    const written = await writeRunBatch(trx, {
      newRuns: [...this.#newRuns.values()],
      updates: [...this.#updates.values()],
      history: this.#history,
      // A run that ended needs no inbox any more.
      inboxAdd: this.#inboxAdd.filter((a) => !this.#ended.has(a.runId)),
      inboxRemove: this.#inboxRemove,
      ended: [...this.#ended],
      results: this.#results,
      dispatched: this.#dispatched,
    });
    if (written.conflicts.length > 0) return written;
    const db = inTransaction(trx);
    if (this.#steps.length > 0) {
      await this.deps.boss.insert(
        QUEUES.step,
        this.#steps.map((s) => ({
          id: s.id,
          data: s.data,
          retryDelay: s.retryDelay,
          expireInSeconds: s.expireInSeconds,
        })),
        { db },
      );
    }
    if (this.#timers.length > 0) {
      await this.deps.boss.insert(
        QUEUES.timer,
        this.#timers.map((t) => ({ id: t.id, data: t.data, startAfter: t.startAfter })),
        { db },
      );
    }
    return written;
  }

  #write(run: RunRow): RunWrite {
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
      snapshot: run.snapshot,
      updatedAt: this.deps.now(),
    };
  }

  /** One history row per transition: its cause, with what followed in `detail.after`. */
  #record(runId: string, entries: HistoryEntry[]): void {
    const [cause, ...after] = entries;
    if (!cause) return;
    const detail =
      after.length > 0 ? { ...cause.detail, after: after.map(({ at: _at, ...rest }) => rest) } : cause.detail;
    this.#history.push({ ...cause, detail, runId });
  }
}
