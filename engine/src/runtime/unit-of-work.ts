import { inTransaction, jobId } from '../queue/boss.ts';
import { QUEUES, type StepJob, type TimerJob } from '../queue/queues.ts';
import type { Db } from '../store/db.ts';
import { markDispatched } from '../store/event-dispatch.ts';
import { appendHistory } from '../store/run-history.ts';
import { addToInbox, clearInbox, removeFromInbox } from '../store/run-inbox.ts';
import { insertRuns, type NewRun, type RunRow, type RunWrite, updateRuns } from '../store/runs.ts';
import { type StepResult, saveResults } from '../store/step-results.ts';
import type { RuntimeDeps } from './deps.ts';
import type { Advanced, HistoryEntry } from './types.ts';

/**
 * Everything one batch of transitions writes, flushed in one transaction: snapshots, history,
 * inbox changes, step results and the jobs the transitions asked for. Either all of it lands
 * or none of it does, which is what makes a kill -9 at any moment harmless.
 */
export class UnitOfWork {
  readonly #newRuns = new Map<string, NewRun>();
  readonly #updates = new Map<string, RunWrite>();
  readonly #history: (HistoryEntry & { runId: string })[] = [];
  readonly #inboxAdd: { runId: string; seq: string }[] = [];
  readonly #inboxRemove: { runId: string; seq: string }[] = [];
  readonly #ended: string[] = [];
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
    this.transitions += advanced.transitions;
    const write: RunWrite = {
      id: run.id,
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
    const pending = this.#newRuns.get(run.id);
    if (isNew || pending) {
      this.#newRuns.set(run.id, {
        ...write,
        workflowId: run.workflowId,
        version: run.version,
        customerId: run.customerId,
        key: run.key,
        startedAt: new Date(run.startedAt),
      });
    } else {
      this.#updates.set(run.id, write);
    }
    for (const h of advanced.history) this.#history.push({ ...h, runId: run.id });
    if (advanced.status !== 'active') this.#ended.push(run.id);
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

  /** Records a change of a run outside the machine (a step waiting for an event). */
  touch(run: RunRow): void {
    if (this.#newRuns.has(run.id)) return;
    this.#updates.set(run.id, {
      id: run.id,
      status: run.status,
      state: run.state,
      phase: run.phase,
      step: run.step,
      awaiting: run.awaiting,
      outcome: run.outcome,
      entry: run.entry,
      snapshot: run.snapshot,
      updatedAt: this.deps.now(),
    });
  }

  note(runId: string, entry: HistoryEntry): void {
    this.#history.push({ ...entry, runId });
  }

  queue(runId: string, seq: string): void {
    this.#inboxAdd.push({ runId, seq });
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

  async flush(trx: Db): Promise<void> {
    await insertRuns(trx, [...this.#newRuns.values()]);
    await updateRuns(trx, [...this.#updates.values()]);
    await appendHistory(trx, this.#history);
    await addToInbox(trx, this.#inboxAdd);
    await removeFromInbox(trx, this.#inboxRemove);
    await clearInbox(trx, this.#ended);
    await saveResults(trx, this.#results);
    await markDispatched(trx, this.#dispatched);
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
  }
}
