import { isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';

/** Buckets kept at most; past it, full ones (no different from a new one) are dropped first. */
const MAX_BUCKETS = 100_000;

/**
 * Token buckets, one per key: each holds up to `perMinute` tokens (a burst) and refills evenly,
 * `perMinute` per minute. A first request always finds a full bucket.
 */
export class TokenBuckets {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #perMs: number;

  readonly perMinute: number;

  constructor(perMinute: number) {
    this.perMinute = perMinute;
    this.#perMs = perMinute / 60_000;
  }

  /** Takes a token: 0 when there was one, else the milliseconds until there will be. */
  take(key: string, now: number): number {
    const bucket = this.#refilled(key, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.#perMs);
  }

  /** Gives a token back (an answer that does not count). */
  refund(key: string, now: number): void {
    const bucket = this.#refilled(key, now);
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + 1);
  }

  get size(): number {
    return this.#buckets.size;
  }

  #refilled(key: string, now: number) {
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      if (this.#buckets.size >= MAX_BUCKETS) this.#prune(now);
      bucket = { tokens: this.perMinute, at: now };
      this.#buckets.set(key, bucket);
    }
    // max(0, …): a clock that stepped back refills nothing rather than draining the bucket.
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + Math.max(0, now - bucket.at) * this.#perMs);
    bucket.at = now;
    return bucket;
  }

  #prune(now: number): void {
    for (const [key, b] of this.#buckets) {
      if (b.tokens + (now - b.at) * this.#perMs >= this.perMinute) this.#buckets.delete(key);
    }
    // Still full of busy clients (a flood from many addresses): forget the oldest tenth.
    let extra = this.#buckets.size - Math.floor(MAX_BUCKETS * 0.9);
    for (const key of this.#buckets.keys()) {
      if (extra-- <= 0) break;
      this.#buckets.delete(key);
    }
  }
}

export interface RateLimitOptions {
  /** Requests per minute per key; 0 turns the limit off. */
  perMinute: number;
  /** The bucket a request draws from; null leaves the request alone (another method, say). */
  key: (c: Context) => string | null;
  /**
   * Which answers use up their token; the others give it back. Default: every answer. Routes
   * that guard against guessing count only failures, so valid use (a provider's signed
   * callbacks, people signing in) is never slowed by its own volume.
   */
  counts?: (status: number) => boolean;
  /**
   * Milliseconds on a monotonic clock. Not the engine's `now()`: that may be a virtual clock (tests,
   * previews) that stands still or jumps days, while request rates are about real time.
   */
  clock?: () => number;
}

/**
 * Answers 429 (with Retry-After, and the JSON error body, or a short page to browsers) when a
 * key has used up its requests. Applied by path where the routes are mounted, so it does not
 * care which module (or plugin) serves them.
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  if (options.perMinute <= 0) return async (_c, next) => next();
  const buckets = new TokenBuckets(options.perMinute);
  const clock = options.clock ?? (() => performance.now());
  return async (c, next) => {
    const key = options.key(c);
    if (key === null) return next();
    const wait = buckets.take(key, clock());
    if (wait > 0) return tooMany(c, Math.ceil(wait / 1000));
    await next();
    if (options.counts && !options.counts(c.res.status)) buckets.refund(key, clock());
  };
}

function tooMany(c: Context, seconds: number): Response {
  c.header('retry-after', String(seconds));
  const message = `too many requests from this client: try again in ${seconds} s`;
  if (/text\/html/.test(c.req.header('accept') ?? '')) {
    return c.html(
      `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Too many requests</title></head><body><p>Too many requests. Please try again in ${seconds} seconds.</p></body></html>`,
      429,
    );
  }
  return c.json({ error: { code: 'rate_limited', message } }, 429);
}

/**
 * Who is asking, as a bucket key: the socket's peer address, or with `trustedProxies` > 0 the
 * address that many proxies in front of Tend put in X-Forwarded-For (each appends the address
 * it got the request from, so the client is that many entries from the right; entries further
 * left are whatever the client wrote). IPv6 clients are keyed by their /64, which one client
 * usually has whole.
 */
export function clientAddress(c: Context, trustedProxies: number): string {
  if (trustedProxies > 0) {
    const forwarded = (c.req.header('x-forwarded-for') ?? '').split(',').map((s) => s.trim());
    const entry =
      forwarded.length >= trustedProxies ? forwarded[forwarded.length - trustedProxies] : undefined;
    const address = entry ? bareAddress(entry) : null;
    if (address) return clientKey(address);
  }
  let socket: string | undefined;
  try {
    socket = getConnInfo(c).remote.address;
  } catch {
    // Not served by @hono/node-server (app.request in unit tests): no socket to ask.
  }
  return socket ? clientKey(socket) : 'unknown';
}

/** `1.2.3.4`, `1.2.3.4:80`, `[::1]:80`, `::1`, `fe80::1%eth0` → the address alone, or null. */
function bareAddress(entry: string): string | null {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry)?.[1];
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(entry)?.[1];
  const address = (bracketed ?? v4WithPort ?? entry).replace(/%.*$/, '');
  return isIP(address) ? address : null;
}

export function clientKey(address: string): string {
  const plain = address.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(plain)?.[1];
  if (mapped) return mapped;
  if (isIP(plain) !== 6) return plain;
  return `${expandIpv6(plain).slice(0, 4).join(':')}::/64`;
}

/** The eight groups of an IPv6 address (an embedded IPv4 tail counts as two). */
function expandIpv6(address: string): string[] {
  const [head = '', tail] = address.toLowerCase().split('::');
  const groups = (part: string) =>
    part === ''
      ? []
      : part.split(':').flatMap((g) => {
          if (!g.includes('.')) return [g];
          const [a = 0, b = 0, c = 0, d = 0] = g.split('.').map(Number);
          return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
        });
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const zeros = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((g) => g.replace(/^0+(?=.)/, ''));
}
