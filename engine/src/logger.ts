import { pino, stdSerializers } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from './config.ts';

export interface Logger {
  debug(message: string, detail?: Record<string, unknown>): void;
  info(message: string, detail?: Record<string, unknown>): void;
  warn(message: string, detail?: Record<string, unknown>): void;
  error(message: string, detail?: Record<string, unknown>): void;
  /** A logger for a part of the engine: its lines carry `scope` (`tend:runtime:plugins`). */
  child(scope: string): Logger;
  /** A logger whose lines carry these ids (run, customer, workflow, request). */
  bind(ids: Record<string, string | number | null>): Logger;
}

/**
 * Fields that may hold personal data, replaced before a line is written: logs go to places
 * (collectors, tickets, screenshots) where customers' data must never travel. Ids stay.
 */
const PERSONAL = [
  'email',
  'phone',
  'birthday',
  'password',
  'token',
  'apiKey',
  'to',
  'address',
  'text',
  'html',
];
const REDACT = [...PERSONAL, ...PERSONAL.map((f) => `*.${f}`), 'customer.name', '*.customer.name'];

/**
 * Logs on stderr (stdout stays for what commands print) through pino: one JSON object per line
 * with level, time, scope, message and ids, or, for people at a terminal, the same as lines.
 * Written synchronously: the line before a crash is the one that matters.
 */
export function createLogger(
  level: Config['logLevel'],
  format: Config['logFormat'] = process.stderr.isTTY ? 'text' : 'json',
  /** Where lines go instead of stderr (tests read them). */
  sink?: pino.DestinationStream,
): Logger {
  const destination =
    sink ??
    (format === 'text'
      ? pretty({
          destination: 2,
          sync: true,
          colorize: false,
          translateTime: 'SYS:standard',
          ignore: 'pid,hostname,scope',
          messageFormat: '[{scope}] {msg}',
        })
      : pino.destination({ dest: 2, sync: true }));
  const root = pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { error: errorFields, err: errorFields },
      redact: { paths: REDACT, censor: '[redacted]' },
    },
    destination,
  );
  return wrap(root.child({ scope: 'tend' }), root, 'tend');
}

/**
 * An error as a log line shows it: type, message, code and stack. Not its other fields: a driver's
 * error carries its whole connection (parameters, buffers), which buries the line.
 */
function errorFields(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const { type, message, stack } = stdSerializers.err(error);
  const code = (error as { code?: unknown }).code;
  return { type, message, ...(code !== undefined ? { code } : {}), stack };
}

function wrap(log: pino.Logger, root: pino.Logger, scope: string): Logger {
  const write =
    (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, detail?: Record<string, unknown>) =>
      detail ? log[level](detail, message) : log[level](message);
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    // From the root, so a nested scope replaces its parent's instead of repeating the key.
    child: (name) =>
      wrap(root.child({ ...log.bindings(), scope: `${scope}:${name}` }), root, `${scope}:${name}`),
    bind: (ids) => wrap(log.child(ids), root, scope),
  };
}
