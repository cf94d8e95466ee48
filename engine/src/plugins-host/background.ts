import type { Logger } from '../logger.ts';
import type { PluginHost } from './plugin-host.ts';

/**
 * Runs plugins' background jobs (reminders, say) on their intervals in this process. Every
 * process runs them; the jobs claim their work in the store, so nothing is done twice.
 */
export function startBackgroundJobs(
  host: PluginHost,
  now: () => Date,
  log: Logger,
  everySeconds: number | null,
): { stop(): Promise<void> } {
  const shutdown = new AbortController();
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<Promise<void>>();
  for (const plugin of host.registry.plugins()) {
    const services = host.context(plugin.name);
    for (const job of plugin.background ?? []) {
      const name = `${plugin.name}.${job.name}`;
      const jobLog = log.child(name);
      let busy = false;
      const tick = () => {
        if (busy || shutdown.signal.aborted) return;
        busy = true;
        const done = job
          .run({ services, now: now(), signal: shutdown.signal, log: jobLog })
          .catch((error: unknown) =>
            jobLog.warn('background job failed', { error: (error as Error).message }),
          )
          .finally(() => {
            busy = false;
            running.delete(done);
          });
        running.add(done);
      };
      const timer = setInterval(tick, (everySeconds ?? job.everySeconds) * 1000);
      timer.unref();
      timers.push(timer);
    }
  }
  return {
    async stop() {
      for (const t of timers) clearInterval(t);
      shutdown.abort(new Error('engine shutting down'));
      await Promise.all(running);
    },
  };
}
