/** An API key as the database resolved it. */
export interface ResolvedKey {
  id: string;
  name: string;
  role: string;
}

/** How long a process trusts a key it looked up: a revocation elsewhere applies within this. */
export const KEY_CACHE_MS = 5_000;
/** Keys kept at most (each is a few dozen bytes; a flood of distinct keys only refills it). */
const MAX_KEYS = 1_000;

/**
 * API keys this process looked up lately, by hash. An integration sends one event per request
 * with its key: looking the key up in PostgreSQL each time was a statement per request (in the
 * one-event-per-request benchmark, 1,335 events/s against 1,900–2,200 with the bootstrap key,
 * which needs no lookup). Only keys found are kept: a key made in another process works at once.
 * A key revoked here is forgotten at once; one revoked in another process within
 * {@link KEY_CACHE_MS}, on the engine's clock.
 */
export class KeyCache {
  readonly #keys = new Map<string, { key: ResolvedKey; until: number }>();

  get(hash: string, now: Date): ResolvedKey | undefined {
    const entry = this.#keys.get(hash);
    if (!entry) return undefined;
    // A clock moved back (a test's, TEND_CLOCK_OFFSET) must not keep a key for longer.
    if (now.getTime() >= entry.until || entry.until - now.getTime() > KEY_CACHE_MS) {
      this.#keys.delete(hash);
      return undefined;
    }
    return entry.key;
  }

  set(hash: string, key: ResolvedKey, now: Date): void {
    if (this.#keys.size >= MAX_KEYS) this.#keys.clear();
    this.#keys.set(hash, { key, until: now.getTime() + KEY_CACHE_MS });
  }

  /** A key revoked in this process stops working here at once. */
  forget(id: string): void {
    for (const [hash, entry] of this.#keys) if (entry.key.id === id) this.#keys.delete(hash);
  }
}
