import type { Config } from './config.ts';

export interface Logger {
  debug(message: string, detail?: Record<string, unknown>): void;
  info(message: string, detail?: Record<string, unknown>): void;
  warn(message: string, detail?: Record<string, unknown>): void;
  error(message: string, detail?: Record<string, unknown>): void;
  child(scope: string): Logger;
}

const ORDER = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 } as const;

/** A line-per-message logger on stderr, so stdout stays for what commands print. */
export function createLogger(level: Config['logLevel'], scope = 'tend'): Logger {
  const min = ORDER[level];
  const write = (lvl: keyof typeof ORDER, message: string, detail?: Record<string, unknown>) => {
    if (ORDER[lvl] < min) return;
    const extra = detail && Object.keys(detail).length > 0 ? ` ${safeJson(detail)}` : '';
    process.stderr.write(`${new Date().toISOString()} ${lvl.padEnd(5)} [${scope}] ${message}${extra}\n`);
  };
  return {
    debug: (m, d) => write('debug', m, d),
    info: (m, d) => write('info', m, d),
    warn: (m, d) => write('warn', m, d),
    error: (m, d) => write('error', m, d),
    child: (name) => createLogger(level, `${scope}:${name}`),
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v) => (v instanceof Error ? { name: v.name, message: v.message } : v));
  } catch {
    return '[unserialisable]';
  }
}
