/**
 * What a caller has already seen, for reads served by several databases (the primary and a
 * replica that lags): a held answer computed before that position is not theirs to see.
 */
export interface SeenUpTo {
  /** The log position the caller has seen (their read-position token). */
  after: bigint;
  /** Where the database the answer is computed on stands now (measured before computing). */
  position(): Promise<bigint>;
}

export type SharedAnswer<T> = (key: string, seen?: SeenUpTo) => Promise<T>;

/**
 * Answers an expensive read from memory for a while after computing it: at least a second, and
 * five times as long as the computation took. Every open live view refreshes every few seconds;
 * this way a hundred viewers of a journey with a million runs cost the database one count, and a
 * count that takes long is not repeated back to back. Concurrent callers share one computation.
 * Elapsed time only (performance.now): how long an answer is held is no time the engine records,
 * and must not stand still under a test's clock. With `seen`, a held answer older than what the
 * caller has already seen is computed again: nobody sees a journey's counts go backwards.
 */
export function sharedAnswer<T>(compute: (key: string) => Promise<T>, minMs = 1000): SharedAnswer<T> {
  const answers = new Map<string, { until: number; from: bigint | null; value: Promise<T> }>();
  return (key: string, seen?: SeenUpTo): Promise<T> => {
    const now = performance.now();
    const held = answers.get(key);
    const recentEnough = !seen || (held?.from !== null && (held?.from ?? -1n) >= seen.after);
    if (held && held.until > now && recentEnough) return held.value;
    // Until it settles, callers share the pending computation (once its position is known).
    const entry: { until: number; from: bigint | null; value: Promise<T> } = {
      until: Number.POSITIVE_INFINITY,
      from: seen ? null : -1n,
      value: Promise.resolve(undefined as T),
    };
    entry.value = seen
      ? seen.position().then((from) => {
          entry.from = from;
          return compute(key);
        })
      : compute(key);
    answers.set(key, entry);
    entry.value.then(
      () => {
        const done = performance.now();
        entry.until = done + Math.max(minMs, 5 * (done - now));
      },
      () => {
        if (answers.get(key) === entry) answers.delete(key);
      },
    );
    for (const [k, a] of answers) if (a.until <= now) answers.delete(k);
    return entry.value;
  };
}
