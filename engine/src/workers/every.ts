/**
 * Runs `work` now and then every `intervalMs`, one run at a time (a slow run delays the next, it
 * never overlaps it); a failed run is logged by `failed` and the next goes on. `stop` waits for
 * the run in progress.
 */
export function every(
  intervalMs: number,
  work: () => Promise<void>,
  failed: (error: unknown) => void,
): { stop(): Promise<void> } {
  let running = Promise.resolve();
  const tick = () => {
    running = running.then(work).catch(failed);
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
