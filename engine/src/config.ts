import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { forbiddenAddress, type OutboundAllowlist, parseOutboundAllow } from '@tend/plugin-sdk';
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
  /** TEND_OUTBOUND_ALLOW: what HTTP sends may reach although loopback, private or link-local. */
  outboundAllow: string[];
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
    maxHeaderBytes: intSetting(env, 'TEND_MAX_HEADER_BYTES', 16 * 1024, 1024, 1024 * 1024),
    publicRateLimit: intSetting(env, 'TEND_PUBLIC_RATE_LIMIT', 60, 0, 1_000_000),
    signInRateLimit: intSetting(env, 'TEND_SIGNIN_RATE_LIMIT', 10, 0, 1_000_000),
    trustedProxies: trustProxy(env.TEND_TRUST_PROXY),
    workers: env.TEND_WORKERS !== 'false',
    preparedStatements: env.TEND_PREPARED_STATEMENTS !== 'false',
    sweepMs: intSetting(env, 'TEND_SWEEP_MS', 1000, 100, 3_600_000),
    enrollChunk: intSetting(env, 'TEND_ENROLL_CHUNK', 5000, 1, 100_000),
    url: (env.TEND_URL ?? `http://127.0.0.1:${env.PORT || 3000}`).replace(/\/$/, ''),
    encryptionKey: env.TEND_ENCRYPTION_KEY?.trim() || null,
    encryptionOldKeys: list(env.TEND_ENCRYPTION_OLD_KEYS),
    pluginSettings: pluginSettings(env),
  };
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
  const outboundAllow = list(env.TEND_OUTBOUND_ALLOW);
  let allow: OutboundAllowlist;
  try {
    allow = parseOutboundAllow(outboundAllow);
  } catch (error) {
    throw new ConfigError(`TEND_OUTBOUND_ALLOW: ${(error as Error).message}`);
  }
  // A provider on this machine or the local network is refused when sending, message after
  // message: say so at start instead (names other than localhost are judged when sending).
  const provider = (name: string) => {
    const value = url(name, http);
    const host = value ? new URL(value).hostname.replace(/^\[(.*)\]$/, '$1') : '';
    const address = host === 'localhost' ? '127.0.0.1' : host;
    const kind = isIP(address) ? forbiddenAddress(address) : null;
    if (
      kind &&
      !allow.hosts.has(host) &&
      !allow.networks.check(address, isIP(address) === 4 ? 'ipv4' : 'ipv6')
    ) {
      throw new ConfigError(
        `${name} points to ${host}, a ${kind} address: add ${host} to TEND_OUTBOUND_ALLOW to send there`,
      );
    }
    return value;
  };
  const smsUrl = provider('TEND_SMS_URL');
  const reminderUrl = provider('TEND_TASK_REMINDER_URL');
  const webhookUrl = provider('TEND_WEBHOOK_URL');
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
    outboundAllow,
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

/** TEND_TRUST_PROXY: false (default), true (one proxy) or how many proxies are in front. */
function trustProxy(raw: string | undefined): number {
  const value = raw?.trim().toLowerCase() ?? '';
  if (value === '' || value === 'false' || value === '0') return 0;
  if (value === 'true') return 1;
  if (/^[1-9]$/.test(value)) return Number(value);
  throw new ConfigError(`TEND_TRUST_PROXY must be false, true or the number of proxies (1-9), got "${raw}"`);
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
