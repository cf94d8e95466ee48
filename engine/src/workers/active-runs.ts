import type { RunRow } from '../store/runs.ts';

/**
 * The active runs of a dispatch batch by slot (workflow, customer, key; see `runSlot`), also
 * reachable by customer: each event is offered to its customer's runs only, and a batch holds
 * hundreds of customers (going through every active run for every event made a batch of 500
 * customers cost 250,000 look-ups).
 */
export class ActiveRuns extends Map<string, RunRow> {
  // Filled through set() after construction: Map's constructor would call set() before the
  // field below exists.
  readonly #byCustomer = new Map<string, Set<RunRow>>();

  override set(slot: string, run: RunRow): this {
    const previous = this.get(slot);
    if (previous) this.#byCustomer.get(previous.customerId)?.delete(previous);
    super.set(slot, run);
    const runs = this.#byCustomer.get(run.customerId) ?? new Set();
    runs.add(run);
    this.#byCustomer.set(run.customerId, runs);
    return this;
  }

  override delete(slot: string): boolean {
    const run = this.get(slot);
    if (run) this.#byCustomer.get(run.customerId)?.delete(run);
    return super.delete(slot);
  }

  /** This customer's active runs, oldest slot first (a copy: offering may end some). */
  of(customerId: string): RunRow[] {
    return [...(this.#byCustomer.get(customerId) ?? [])];
  }
}
