import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseOutboundAllow } from '@tend/plugin-sdk';
import { isTimeZone } from '@tend/plugin-sdk/time';

/** Every setting Tend reads from its environment, validated once at start. */
export interface Config {
  port: number;
  host: string;
  /** Unset: Tend starts an embedded PostgreSQL in `dataDir`. */
  databaseUrl: string | null;
  /** A streaming replica of that database, for reads that tolerate a little lag; null: none. */
  databaseReadUrl: string | null;
  dataDir: string;
  /** Bootstrap admin key; generated (and printed) when unset. */
  apiKey: string;
  apiKeyGenerated: boolean;
  /** Installation time zone, used for customers without one. */
  defaultTimezone: string;
  /** The country calling code a phone number written without one is taken to have (86: China). */
  phoneCountry: string;
  /** Extra plugin modules to load (package names or paths), besides the shipped ones. */
  plugins: string[];
  workflowsDir: string;
  /** The editor's built files, served at `/`. */
  editorDir: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** TEND_LOG_FORMAT: one JSON object per line (for collectors), or lines for people. */
  logFormat: 'json' | 'text';
  /** TEND_METRICS_TOKEN: `GET /metrics` wants it as a bearer token; unset: open. */
  metricsToken: string | null;
  /** OTEL_EXPORTER_OTLP_ENDPOINT (OTLP over HTTP): traces are sent there; unset: no tracing. */
  otlpEndpoint: string | null;
  /** Jobs fetched per worker round trip. */
  batchSize: number;
  /** Parallel fetch loops per queue in this process. */
  concurrency: number;
  /** Seconds without a heartbeat before another process takes over a dead worker's jobs. */
  heartbeatSeconds: number;
  /** Request bodies larger than this are refused with 413. */
  maxBodyBytes: number;
  /** The request line and headers larger than this are refused with 431 (Node's maxHeaderSize). */
  maxHeaderBytes: number;
  /** Requests per minute per client to the public pages and provider callbacks; 0: no limit. */
  publicRateLimit: number;
  /** Sign-in and first-admin attempts per minute per client; 0: no limit. */
  signInRateLimit: number;
  /**
   * Proxies in front of Tend whose X-Forwarded-For entries are believed (TEND_TRUST_PROXY: `true`
   * is one); 0: the client is the socket's peer, and X-Forwarded-For is ignored.
   */
  trustedProxies: number;
  /** `false` runs only the HTTP API (no workers) in this process. */
  workers: boolean;
  /** Repeated statements run as named statements; off behind poolers that reset sessions. */
  preparedStatements: boolean;
  /**
   * TEND_RETAIN_EVENTS_DAYS: events received longer ago are dropped, a month's partition at a
   * time (purchases are kept: RFM and predictions count them); 0, the default, keeps every event
   * (dropping data is the operator's choice, not an upgrade's).
   */
  retainEventsDays: number;
  /**
   * TEND_RETAIN_RUN_HISTORY_DAYS: the history of runs that ended longer ago is dropped, a month's
   * partition at a time (an active run keeps its whole history); 0, the default, keeps it all.
   */
  retainRunHistoryDays: number;
  /** How often the sweeper looks for due time triggers and lost work, in ms. */
  sweepMs: number;
  /** Customers per transaction when a time trigger enrolls many. */
  enrollChunk: number;
  /** Where CLI commands that talk to a running Tend send their requests. */
  url: string;
  /** Key for personal data (32 bytes, hex or base64); unset: a key file in `dataDir`. */
  encryptionKey: string | null;
  /** Previous keys, still able to decrypt, during a key rotation. */
  encryptionOldKeys: string[];
  /** Base of links customers follow (TEND_PUBLIC_URL); unset: the address Tend listens on. */
  publicUrl: string | null;
  /** Signs links customers follow; unset: derived from the encryption key. */
  linkSecret: string | null;
  /** Language of messages and pages for customers without one (TEND_LOCALE). */
  defaultLocale: string;
  /** TEND_OUTBOUND_ALLOW: what HTTP sends may reach although loopback, private or link-local. */
  outboundAllow: string[];
  /** Messages being handed to providers at once, per process. */
  sendConcurrency: number;
  /** Runs every plugin background job this often instead of its own interval (tests, demos). */
  backgroundIntervalSeconds: number | null;
  /** The environment the settings were read from: plugins' settings are read from it too. */
  environment: Readonly<Record<string, string | undefined>>;
  /**
   * TEND_CLOCK_OFFSET in ms: the engine's clock runs this far from the machine's (testing: run as
   * if it were another date). 0 in production.
   */
  clockOffsetMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The repository root, from this file's location (engine/src/config.ts). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
const LOG_FORMATS = ['json', 'text'] as const;

/** Reads and validates the environment; throws ConfigError naming the bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const apiKey = env.TEND_API_KEY?.trim();
  const logLevel = (env.TEND_LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`TEND_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  }
  // People at a terminal read lines; anything else (a service manager, a container) collects JSON.
  const logFormat = (env.TEND_LOG_FORMAT ?? (process.stderr.isTTY ? 'text' : 'json')) as Config['logFormat'];
  if (!LOG_FORMATS.includes(logFormat)) {
    throw new ConfigError(`TEND_LOG_FORMAT must be one of ${LOG_FORMATS.join(', ')}`);
  }
  const defaultTimezone = env.TEND_TIMEZONE ?? 'UTC';
  if (!isTimeZone(defaultTimezone)) {
    throw new ConfigError(`TEND_TIMEZONE "${defaultTimezone}" is not an IANA time zone`);
  }
  const phoneCountry = (env.TEND_PHONE_COUNTRY ?? '86').trim().replace(/^\+/, '');
  if (!/^[1-9]\d{0,2}$/.test(phoneCountry)) {
    throw new ConfigError(
      `TEND_PHONE_COUNTRY "${phoneCountry}" is not a country calling code (1 to 3 digits, e.g. 86)`,
    );
  }
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const databaseReadUrl = env.DATABASE_READ_URL?.trim() || null;
  if (databaseReadUrl && !/^postgres(ql)?:\/\//.test(databaseReadUrl)) {
    throw new ConfigError('DATABASE_READ_URL must start with postgres:// or postgresql://');
  }
  if (databaseReadUrl && !databaseUrl) {
    throw new ConfigError(
      'DATABASE_READ_URL needs DATABASE_URL: a replica of the embedded PostgreSQL is not supported',
    );
  }
  if (apiKey !== undefined && apiKey.length > 0 && apiKey.length < 16) {
    throw new ConfigError('TEND_API_KEY must be at least 16 characters');
  }
  return {
    port: intSetting(env, 'PORT', 3000, 0, 65535),
    host: env.HOST ?? '127.0.0.1',
    databaseUrl,
    databaseReadUrl,
    dataDir: path.resolve(env.TEND_DATA_DIR ?? path.join(repoRoot, '.tend')),
    apiKey: apiKey || `tend_${randomBytes(24).toString('base64url')}`,
    apiKeyGenerated: !apiKey,
    defaultTimezone,
    phoneCountry,
    plugins: list(env.TEND_PLUGINS),
    workflowsDir: path.resolve(env.TEND_WORKFLOWS_DIR ?? path.join(repoRoot, 'workflows')),
    editorDir: path.resolve(env.TEND_EDITOR_DIR ?? path.join(repoRoot, 'editor', 'dist')),
    logLevel,
    logFormat,
    metricsToken: secret(env, 'TEND_METRICS_TOKEN'),
    otlpEndpoint: url(env, 'OTEL_EXPORTER_OTLP_ENDPOINT', /^https?:\/\//)?.replace(/\/+$/, '') ?? null,
    batchSize: intSetting(env, 'TEND_BATCH_SIZE', 100, 1, 1000),
    concurrency: intSetting(env, 'TEND_CONCURRENCY', 2, 1, 64),
    heartbeatSeconds: intSetting(env, 'TEND_HEARTBEAT_SECONDS', 10, 10, 3600),
    maxBodyBytes: intSetting(env, 'TEND_MAX_BODY_BYTES', 5 * 1024 * 1024, 1024, 1024 ** 3),
    maxHeaderBytes: intSetting(env, 'TEND_MAX_HEADER_BYTES', 16 * 1024, 1024, 1024 * 1024),
    publicRateLimit: intSetting(env, 'TEND_PUBLIC_RATE_LIMIT', 60, 0, 1_000_000),
    signInRateLimit: intSetting(env, 'TEND_SIGNIN_RATE_LIMIT', 10, 0, 1_000_000),
    trustedProxies: trustProxy(env.TEND_TRUST_PROXY),
    workers: env.TEND_WORKERS !== 'false',
    preparedStatements: env.TEND_PREPARED_STATEMENTS !== 'false',
    sweepMs: intSetting(env, 'TEND_SWEEP_MS', 1000, 100, 3_600_000),
    retainEventsDays: retention(env, 'TEND_RETAIN_EVENTS_DAYS', 0),
    retainRunHistoryDays: retention(env, 'TEND_RETAIN_RUN_HISTORY_DAYS', 0),
    enrollChunk: intSetting(env, 'TEND_ENROLL_CHUNK', 5000, 1, 100_000),
    url: (env.TEND_URL ?? `http://127.0.0.1:${env.PORT || 3000}`).replace(/\/$/, ''),
    encryptionKey: env.TEND_ENCRYPTION_KEY?.trim() || null,
    encryptionOldKeys: list(env.TEND_ENCRYPTION_OLD_KEYS),
    publicUrl: url(env, 'TEND_PUBLIC_URL', /^https?:\/\//)?.replace(/\/+$/, '') ?? null,
    linkSecret: secret(env, 'TEND_LINK_SECRET'),
    defaultLocale: env.TEND_LOCALE?.trim() || 'en',
    outboundAllow: outboundAllow(env),
    sendConcurrency: intSetting(env, 'TEND_SEND_CONCURRENCY', 8, 1, 64),
    backgroundIntervalSeconds: env.TEND_BACKGROUND_INTERVAL_SECONDS
      ? intSetting(env, 'TEND_BACKGROUND_INTERVAL_SECONDS', 60, 1, 86_400)
      : null,
    environment: { ...env },
    clockOffsetMs: clockOffset(env.TEND_CLOCK_OFFSET),
  };
}

const OFFSET_UNITS_MS: Record<string, number> = {
  y: 365 * 86_400_000,
  w: 7 * 86_400_000,
  d: 86_400_000,
  h: 3_600_000,
  m: 60_000,
  s: 1000,
};

const MAX_OFFSET_MS = 100 * 365 * 86_400_000;

/**
 * `+3y`, `-36h`: a sign, a whole number and one unit (y is 365 days, so a year ahead lands on the
 * same time of day). The sign is required: which way the clock moves should be written down.
 */
export function clockOffset(raw: string | undefined): number {
  const value = raw?.trim();
  if (!value) return 0;
  const m = /^([+-])(\d{1,6})([ywdhms])$/.exec(value);
  if (!m) {
    throw new ConfigError(
      `TEND_CLOCK_OFFSET must be a sign, a whole number and a unit (y = 365 days, w, d, h, m, s), such as +3y, -2y, +400d or -36h; got "${raw}"`,
    );
  }
  const ms = Number(m[2]) * (OFFSET_UNITS_MS[m[3] as string] as number);
  if (ms > MAX_OFFSET_MS) throw new ConfigError(`TEND_CLOCK_OFFSET must be at most 100 years, got "${raw}"`);
  if (ms === 0) return 0;
  return m[1] === '-' ? -ms : ms;
}

function url(env: NodeJS.ProcessEnv, name: string, schemes: RegExp): string | null {
  const value = env[name]?.trim() || null;
  if (value && !schemes.test(value)) throw new ConfigError(`${name} must start with ${schemes.source}`);
  return value;
}

function secret(env: NodeJS.ProcessEnv, name: string): string | null {
  const value = env[name]?.trim() || null;
  if (value && value.length < 16) throw new ConfigError(`${name} must be at least 16 characters`);
  return value;
}

/** TEND_OUTBOUND_ALLOW, checked: hosts, addresses and CIDR networks. */
function outboundAllow(env: NodeJS.ProcessEnv): string[] {
  const allow = list(env.TEND_OUTBOUND_ALLOW);
  try {
    parseOutboundAllow(allow);
  } catch (error) {
    throw new ConfigError(`TEND_OUTBOUND_ALLOW: ${(error as Error).message}`);
  }
  return allow;
}

/** TEND_TRUST_PROXY: false (default), true (one proxy) or how many proxies are in front. */
function trustProxy(raw: string | undefined): number {
  const value = raw?.trim().toLowerCase() ?? '';
  if (value === '' || value === 'false' || value === '0') return 0;
  if (value === 'true') return 1;
  if (/^[1-9]$/.test(value)) return Number(value);
  throw new ConfigError(`TEND_TRUST_PROXY must be false, true or the number of proxies (1-9), got "${raw}"`);
}

/** A comma-separated setting as its items. */
export function list(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Days of retention; 0 keeps for ever. At least 31: a shorter one would drop last month's
 * partition as soon as the month turns, while its last events may still wait for the dispatcher
 * or in a run's inbox.
 */
function retention(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const days = intSetting(env, name, fallback, 0, 36_500);
  if (days > 0 && days < 31)
    throw new ConfigError(`${name} must be 0 (keep) or at least 31 days, got "${days}"`);
  return days;
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
