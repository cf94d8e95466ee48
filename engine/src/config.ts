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
  /** Repeated statements run as named statements; off behind poolers that reset sessions. */
  preparedStatements: boolean;
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
  /** What the shipped plugins send through and link to (see {@link PluginSettings}). */
  pluginSettings: PluginSettings;
  /**
   * TEND_CLOCK_OFFSET in ms: the engine's clock runs this far from the machine's (testing: run as
   * if it were another date). 0 in production.
   */
  clockOffsetMs: number;
}

/** Settings of the shipped plugins: providers, links, locales, reminders, loyalty tiers. */
export interface PluginSettings {
  /** SMTP_URL (smtp:// or smtps://); unset: mail goes to the dev mailbox. */
  smtpUrl: string | null;
  mailFrom: string;
  sms: { url: string; secret: string } | null;
  webhook: { url: string | null; secret: string | null };
  taskReminders: { url: string; secret: string } | null;
  providerTimeoutMs: number;
  /** Messages being handed to providers at once, per process. */
  sendConcurrency: number;
  /** Base of links in messages (TEND_PUBLIC_URL); unset: the address Tend listens on. */
  publicUrl: string | null;
  /** Signs survey and unsubscribe links; unset: derived from the encryption key. */
  linkSecret: string | null;
  defaultLocale: string;
  loyaltyTiers: { name: string; min: number }[];
  /** Runs every plugin background job this often instead of its own interval (tests, demos). */
  backgroundIntervalSeconds: number | null;
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
    plugins: list(env.TEND_PLUGINS),
    workflowsDir: path.resolve(env.TEND_WORKFLOWS_DIR ?? path.join(repoRoot, 'workflows')),
    editorDir: path.resolve(env.TEND_EDITOR_DIR ?? path.join(repoRoot, 'editor', 'dist')),
    logLevel,
    batchSize: intSetting(env, 'TEND_BATCH_SIZE', 100, 1, 1000),
    concurrency: intSetting(env, 'TEND_CONCURRENCY', 2, 1, 64),
    heartbeatSeconds: intSetting(env, 'TEND_HEARTBEAT_SECONDS', 10, 10, 3600),
    maxBodyBytes: intSetting(env, 'TEND_MAX_BODY_BYTES', 5 * 1024 * 1024, 1024, 1024 ** 3),
    workers: env.TEND_WORKERS !== 'false',
    preparedStatements: env.TEND_PREPARED_STATEMENTS !== 'false',
    sweepMs: intSetting(env, 'TEND_SWEEP_MS', 1000, 100, 3_600_000),
    enrollChunk: intSetting(env, 'TEND_ENROLL_CHUNK', 5000, 1, 100_000),
    url: (env.TEND_URL ?? `http://127.0.0.1:${env.PORT || 3000}`).replace(/\/$/, ''),
    encryptionKey: env.TEND_ENCRYPTION_KEY?.trim() || null,
    encryptionOldKeys: list(env.TEND_ENCRYPTION_OLD_KEYS),
    pluginSettings: pluginSettings(env),
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

function pluginSettings(env: NodeJS.ProcessEnv): PluginSettings {
  const url = (name: string, schemes: RegExp) => {
    const value = env[name]?.trim() || null;
    if (value && !schemes.test(value)) throw new ConfigError(`${name} must start with ${schemes.source}`);
    return value;
  };
  const secret = (name: string, neededBy: string | null) => {
    const value = env[name]?.trim() || null;
    if (value && value.length < 16) throw new ConfigError(`${name} must be at least 16 characters`);
    if (!value && neededBy) throw new ConfigError(`${neededBy} is set: set ${name} too (the HMAC key)`);
    return value;
  };
  const http = /^https?:\/\//;
  const smsUrl = url('TEND_SMS_URL', http);
  const reminderUrl = url('TEND_TASK_REMINDER_URL', http);
  const webhookUrl = url('TEND_WEBHOOK_URL', http);
  return {
    smtpUrl: url('SMTP_URL', /^smtps?:\/\//),
    mailFrom: env.TEND_MAIL_FROM?.trim() || 'Tend <no-reply@tend.localhost>',
    sms: smsUrl ? { url: smsUrl, secret: secret('TEND_SMS_SECRET', 'TEND_SMS_URL') as string } : null,
    webhook: { url: webhookUrl, secret: secret('TEND_WEBHOOK_SECRET', webhookUrl && 'TEND_WEBHOOK_URL') },
    taskReminders: reminderUrl
      ? {
          url: reminderUrl,
          secret: secret('TEND_TASK_REMINDER_SECRET', 'TEND_TASK_REMINDER_URL') as string,
        }
      : null,
    providerTimeoutMs: intSetting(env, 'TEND_PROVIDER_TIMEOUT_MS', 10_000, 100, 120_000),
    sendConcurrency: intSetting(env, 'TEND_SEND_CONCURRENCY', 8, 1, 64),
    publicUrl: url('TEND_PUBLIC_URL', http)?.replace(/\/+$/, '') ?? null,
    linkSecret: secret('TEND_LINK_SECRET', null),
    defaultLocale: env.TEND_LOCALE?.trim() || 'en',
    loyaltyTiers: tiers(env.TEND_LOYALTY_TIERS ?? 'member:0,silver:1000,gold:5000,platinum:20000'),
    backgroundIntervalSeconds: env.TEND_BACKGROUND_INTERVAL_SECONDS
      ? intSetting(env, 'TEND_BACKGROUND_INTERVAL_SECONDS', 60, 1, 86_400)
      : null,
  };
}

/** `member:0,silver:1000`: tier names from the lowest; a tier applies from `min` points earned. */
function tiers(raw: string): { name: string; min: number }[] {
  const parsed = list(raw).map((item) => {
    const m = /^([a-z][a-z0-9-]*):(\d+)$/.exec(item);
    if (!m) throw new ConfigError(`TEND_LOYALTY_TIERS: "${item}" is not name:points (e.g. gold:5000)`);
    return { name: m[1] as string, min: Number(m[2]) };
  });
  parsed.sort((a, b) => a.min - b.min);
  if (parsed[0]?.min !== 0) throw new ConfigError('TEND_LOYALTY_TIERS: the lowest tier must start at 0');
  return parsed;
}

function list(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
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
