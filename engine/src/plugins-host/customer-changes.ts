/**
 * Customers a plugin step changed (tags, attributes, consent, points) through its services, so
 * the step worker reads exactly those again before the conditions that follow: most steps change
 * no customer, and then no read is needed.
 */
export class CustomerChanges {
  readonly #changed = new Set<string>();

  mark(customerId: string): void {
    this.#changed.add(customerId);
  }

  /** Which of these customers changed since last asked (and forgets them). */
  take(customerIds: Iterable<string>): string[] {
    const out: string[] = [];
    for (const id of customerIds) if (this.#changed.delete(id)) out.push(id);
    return out;
  }
}
