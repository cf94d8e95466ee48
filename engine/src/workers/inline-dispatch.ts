import { randomUUID } from 'node:crypto';
import { inSpan } from '../observability/tracing.ts';
import { inTransaction } from '../queue/boss.ts';
import { QUEUES } from '../queue/queues.ts';
import { queueDispatch } from '../store/ingest.ts';
import { driveBorrowed, handOver } from './borrowed-drivers.ts';
import type { RuntimeDeps } from './deps.ts';
import { type Dispatched, dispatchCustomers, type Watch, watchJob } from './dispatch.ts';

/**
 * Dispatches in flight at once (committing or driving their steps). Past it, events take the
 * dispatch queue as they always could: a burst cannot hold every pooled connection.
 */
const IN_FLIGHT = 4;
/** Customers one inline dispatch locks (a dispatch job's transaction takes as many). */
const MOST_CUSTOMERS = 500;
/** A watch job comes due this long after its heartbeat (`TEND_HEARTBEAT_SECONDS`) would have. */
const WATCH_SLACK_SECONDS = 5;
/** Times a watch job is written afresh within its delay: one failed write does not let it come due. */
const REARMS_PER_DELAY = 3;

/**
 * The events a request stored are dispatched in the process that took them, at once, instead
 * of through a dispatch job: the job's insert, its LISTEN/NOTIFY wake-up and its fetch came to
 * about 3 ms of the 11 from an event to its first step at light load (docs/scaling.md). Under
 * load, what is offered while a dispatch commits goes into the next one together, as a
 * dispatch job's fetch of many jobs would: one transaction for many customers.
 *
 * Nothing is lost on a crash. Until the dispatch commits, the events stay marked waiting, and
 * the sweeper dispatches them (as when a dispatch job's insert is lost). From the commit on, the
 * runs it moved into steps are driven under a watch job written in the same transaction
 * (workers/dispatch.ts#Watch): a dispatch job due a few seconds later, written afresh (and the
 * last one deleted) while the driving goes on, as a heartbeat. If this process dies, the last
 * one comes due, hands the runs to step jobs and dispatches what waits.
 */
export class InlineDispatch {
  readonly #deps: RuntimeDeps;
  readonly #shutdown: AbortSignal;
  readonly #watchSeconds: number;
  /** Customers offered since the last dispatch began. */
  readonly #waiting = new Set<string>();
  #draining: Promise<void> | null = null;
  readonly #inFlight = new Set<Promise<void>>();

  constructor(deps: RuntimeDeps, shutdown: AbortSignal) {
    this.#deps = deps;
    this.#shutdown = shutdown;
    this.#watchSeconds = deps.config.heartbeatSeconds + WATCH_SLACK_SECONDS;
  }

  /** Takes these customers' waiting events to dispatch now; false leaves them to a dispatch job. */
  offer(customers: string[]): boolean {
    if (
      this.#shutdown.aborted ||
      this.#inFlight.size >= IN_FLIGHT ||
      this.#waiting.size + customers.length > MOST_CUSTOMERS
    )
      return false;
    for (const customer of customers) this.#waiting.add(customer);
    this.#draining ??= this.#drain();
    return true;
  }

  /** Resolves once no dispatch is in flight: for a graceful stop, after the shutdown signal. */
  async idle(): Promise<void> {
    while (this.#draining || this.#inFlight.size > 0)
      await Promise.allSettled([this.#draining, ...this.#inFlight]);
  }

  /** One dispatch after the other; each one's steps are driven while the next commits. */
  async #drain(): Promise<void> {
    try {
      while (this.#waiting.size > 0) {
        const customers = [...this.#waiting];
        this.#waiting.clear();
        let committed = () => {};
        const settled = new Promise<void>((resolve) => {
          committed = resolve;
        });
        const dispatch = inSpan('dispatch', { 'tend.customers': customers.length }, () =>
          this.#dispatch(customers, committed),
        )
          // #dispatch answers its own failures; anything else is logged, never left unhandled.
          .catch((error: unknown) => this.#deps.log.error(`inline dispatch: ${(error as Error).message}`))
          .finally(() => {
            committed();
            this.#inFlight.delete(dispatch);
          });
        this.#inFlight.add(dispatch);
        await settled;
      }
    } finally {
      this.#draining = null;
    }
  }

  /** Dispatches, says when that is settled (`committed`), then drives the steps it led to. */
  async #dispatch(customers: string[], committed: () => void): Promise<void> {
    const deps = this.#deps;
    const driver = randomUUID();
    const watch: Watch = { id: driver, afterSeconds: this.#watchSeconds };
    let dispatched: Dispatched;
    try {
      dispatched = await dispatchCustomers(deps, customers, () => driver, watch);
    } catch (error) {
      // Rolled back: the events still wait. A dispatch job tries again, as it would have at first.
      deps.log.warn(
        `dispatching ${customers.length} customer(s) in process failed: ${(error as Error).message}`,
      );
      await queueDispatch(deps.boss, deps.db, customers).catch((queueing: unknown) =>
        deps.log.warn(
          `an ingested event's dispatch job was not written; the sweeper will dispatch it: ${(queueing as Error).message}`,
        ),
      );
      return;
    } finally {
      committed();
    }
    // No run moved into steps: no watch job was written, nothing to drive.
    if (dispatched.runs.length === 0) return;
    const watching = new WatchJob(deps, watch, customers);
    try {
      await driveBorrowed(deps, dispatched, new Set([driver]), this.#shutdown);
    } catch (error) {
      // As a dispatch job's retry would: the runs still in this driver's charge get step jobs.
      deps.log.warn(`driving the steps of an inline dispatch failed: ${(error as Error).message}`);
      const handed = await handOver(
        deps,
        dispatched.runs.map((run) => run.id),
        new Set([driver]),
      ).then(
        () => true,
        () => false,
      );
      // Not handed over: the watch job comes due and does it.
      if (!handed) return watching.stop(false);
    }
    await watching.stop(true);
  }
}

/**
 * The watch job of one inline dispatch, kept from coming due while its driver drives: every
 * third of its delay a new one (naming the same driver) replaces it, in one transaction.
 */
class WatchJob {
  readonly #deps: RuntimeDeps;
  readonly #watch: Watch;
  readonly #customers: string[];
  readonly #timer: NodeJS.Timeout;
  #current: string;
  #rearming: Promise<void> = Promise.resolve();

  constructor(deps: RuntimeDeps, watch: Watch, customers: string[]) {
    this.#deps = deps;
    this.#watch = watch;
    this.#customers = customers;
    this.#current = watch.id;
    this.#timer = setInterval(
      () => {
        this.#rearming = this.#rearming.then(() => this.#rearm());
      },
      (watch.afterSeconds * 1000) / REARMS_PER_DELAY,
    );
  }

  async #rearm(): Promise<void> {
    const { db, boss, log } = this.#deps;
    const next = watchJob(this.#watch, this.#customers, randomUUID());
    try {
      await db.transaction().execute(async (trx) => {
        await boss.insert(QUEUES.dispatch, [next], { db: inTransaction(trx) });
        await boss.deleteJob(QUEUES.dispatch, this.#current, { db: inTransaction(trx) });
      });
      this.#current = next.id;
    } catch (error) {
      log.warn(`a watch job was not renewed: ${(error as Error).message}`);
    }
  }

  /** Ends the heartbeat; `done`: the driving is over, so the job goes too. */
  async stop(done: boolean): Promise<void> {
    clearInterval(this.#timer);
    await this.#rearming;
    if (!done) return;
    await this.#deps.boss
      .deleteJob(QUEUES.dispatch, this.#current)
      .catch((error: unknown) =>
        this.#deps.log.warn(
          `a watch job was not deleted; it will find nothing to do: ${(error as Error).message}`,
        ),
      );
  }
}
