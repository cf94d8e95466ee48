/**
 * Answers an expensive read from memory for a while after computing it: at least a second, and
 * five times as long as the computation took. Every open live view refreshes every few seconds;
 * this way a hundred viewers of a journey with a million runs cost the database one count, and a
 * count that takes long is not repeated back to back. Concurrent callers share one computation.
 * Elapsed time only (performance.now): how long an answer is held is no time the engine records,
 * and must not stand still under a test's clock.
 */
export function sharedAnswer<T>(compute: (key: string) => Promise<T>, minMs = 1000) {
  const answers = new Map<string, { until: number; value: Promise<T> }>();
  return (key: string): Promise<T> => {
    const now = performance.now();
    const held = answers.get(key);
    if (held && held.until > now) return held.value;
    const value = compute(key);
    // Until it settles, callers share the pending computation.
    const entry = { until: Number.POSITIVE_INFINITY, value };
    answers.set(key, entry);
    value.then(
      () => {
        const done = performance.now();
        entry.until = done + Math.max(minMs, 5 * (done - now));
      },
      () => answers.delete(key),
    );
    for (const [k, a] of answers) if (a.until <= now) answers.delete(k);
    return value;
  };
}
