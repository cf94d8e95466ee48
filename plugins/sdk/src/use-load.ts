import { useEffect, useState } from 'react';

/** Loads data when `key` changes (and every `intervalMs`), keeping the last data while reloading. */
export function useLoad<T>(key: string, load: () => Promise<T>, intervalMs?: number) {
  const [state, setState] = useState<{ data?: T; error?: string }>({});
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names what `load` reads
  useEffect(() => {
    let live = true;
    const run = () =>
      load().then(
        (data) => live && setState({ data }),
        (e: Error) => live && setState((s) => ({ ...s, error: e.message })),
      );
    void run();
    const timer = intervalMs ? setInterval(run, intervalMs) : null;
    return () => {
      live = false;
      if (timer) clearInterval(timer);
    };
  }, [key]);
  return state;
}
