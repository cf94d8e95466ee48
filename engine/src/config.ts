import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isTimeZone } from './calendar/time-zone.ts';

/** Every setting Tend reads from its environment, validated once at start. */
export interface Config {
  port: number;
  host: string;
  /** Unset: Tend starts an embedded PostgreSQL in `dataDir`. */
  databaseUrl: string | null;
  dataDir: string;
  /** Bootstrap admin key; generated (and printed) when unset. */
  apiKey: string;
  apiKeyGenerated: boolean;
  /** Installation time zone, used for customers without one. */
  defaultTimezone: string;
  /** Extra plugin modules to load (package names or paths), besides the shipped ones. */
  plugins: string[];
  workflowsDir: string;
  /** The editor's built files, served at `/`. */
  editorDir: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Jobs fetched per worker round trip. */
  batchSize: number;
  /** Parallel fetch loops per queue in this process. */
  concurrency: number;
  /** Seconds without a heartbeat before another process takes over a dead worker's jobs. */
  heartbeatSeconds: number;
  /** Request bodies larger than this are refused with 413. */
  maxBodyBytes: number;
  /** `false` runs only the HTTP API (no workers) in this process. */
  workers: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The repository root, from this file's location (engine/src/config.ts). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

/** Reads and validates the environment; throws ConfigError naming the bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const apiKey = env.TEND_API_KEY?.trim();
  const logLevel = (env.TEND_LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`TEND_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  }
  const defaultTimezone = env.TEND_TIMEZONE ?? 'UTC';
  if (!isTimeZone(defaultTimezone)) {
    throw new ConfigError(`TEND_TIMEZONE "${defaultTimezone}" is not an IANA time zone`);
  }
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  if (apiKey !== undefined && apiKey.length > 0 && apiKey.length < 16) {
    throw new ConfigError('TEND_API_KEY must be at least 16 characters');
  }
  return {
    port: intSetting(env, 'PORT', 3000, 0, 65535),
    host: env.HOST ?? '127.0.0.1',
    databaseUrl,
    dataDir: path.resolve(env.TEND_DATA_DIR ?? path.join(repoRoot, '.tend')),
    apiKey: apiKey || `tend_${randomBytes(24).toString('base64url')}`,
    apiKeyGenerated: !apiKey,
    defaultTimezone,
    plugins: (env.TEND_PLUGINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    workflowsDir: path.resolve(env.TEND_WORKFLOWS_DIR ?? path.join(repoRoot, 'workflows')),
    editorDir: path.resolve(env.TEND_EDITOR_DIR ?? path.join(repoRoot, 'editor', 'dist')),
    logLevel,
    batchSize: intSetting(env, 'TEND_BATCH_SIZE', 100, 1, 1000),
    concurrency: intSetting(env, 'TEND_CONCURRENCY', 2, 1, 64),
    heartbeatSeconds: intSetting(env, 'TEND_HEARTBEAT_SECONDS', 10, 10, 3600),
    maxBodyBytes: intSetting(env, 'TEND_MAX_BODY_BYTES', 5 * 1024 * 1024, 1024, 1024 ** 3),
    workers: env.TEND_WORKERS !== 'false',
  };
}

function intSetting(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}
