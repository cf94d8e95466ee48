/**
 * Slows down password guessing: after `limit` failed sign-ins for one email within `windowMs`,
 * further tries are refused until the window passes. Kept in memory: per process, which is
 * enough to make guessing impractical without a table that every failed sign-in would write to.
 */
export class SignInThrottle {
  readonly #failures = new Map<string, number[]>();

  readonly limit: number;
  readonly windowMs: number;

  constructor(limit = 10, windowMs = 15 * 60_000) {
    this.limit = limit;
    this.windowMs = windowMs;
  }

  /** Milliseconds until this email may try again, 0 when it may now (the engine's time, in ms). */
  waitFor(email: string, now: number): number {
    const recent = this.#recent(email, now);
    if (recent.length < this.limit) return 0;
    return (recent[0] ?? now) + this.windowMs - now;
  }

  failed(email: string, now: number): void {
    const recent = this.#recent(email, now);
    recent.push(now);
    this.#failures.set(email.toLowerCase(), recent);
    if (this.#failures.size > 10_000) this.#failures.clear();
  }

  succeeded(email: string): void {
    this.#failures.delete(email.toLowerCase());
  }

  #recent(email: string, now: number): number[] {
    return (this.#failures.get(email.toLowerCase()) ?? []).filter((t) => now - t < this.windowMs);
  }
}
