import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { clientAddress, clientKey, rateLimit, TokenBuckets } from './rate-limit.ts';

describe('TokenBuckets', () => {
  it('lets a burst of perMinute through, then one request per 60/perMinute seconds', () => {
    const buckets = new TokenBuckets(60);
    for (let i = 0; i < 60; i++) expect(buckets.take('a', 0)).toBe(0);
    expect(buckets.take('a', 0)).toBe(1000);
    expect(buckets.take('a', 500)).toBe(500);
    expect(buckets.take('a', 1000)).toBe(0);
    expect(buckets.take('b', 1000)).toBe(0);
  });

  it('takes refunds up to the bucket size, and survives a clock stepping back', () => {
    const buckets = new TokenBuckets(2);
    buckets.take('a', 0);
    buckets.refund('a', 0);
    buckets.refund('a', 0);
    expect(buckets.take('a', 0)).toBe(0);
    expect(buckets.take('a', 0)).toBe(0);
    expect(buckets.take('a', -5000)).toBeGreaterThan(0);
  });
});

describe('rateLimit', () => {
  function app(options: { perMinute: number; counts?: (status: number) => boolean }) {
    let now = 0;
    const hono = new Hono()
      .use(
        rateLimit({
          ...options,
          key: (c) => c.req.header('x-client') ?? null,
          clock: () => now,
        }),
      )
      .get('/ok', (c) => c.text('ok'))
      .get('/no', (c) => c.text('no', 401));
    return {
      get: (path: string, client: string | null, accept?: string) =>
        hono.request(path, {
          headers: { ...(client ? { 'x-client': client } : {}), ...(accept ? { accept } : {}) },
        }),
      advance: (ms: number) => {
        now += ms;
      },
    };
  }

  it('answers 429 with Retry-After and the JSON error body past the limit; others go on', async () => {
    const limited = app({ perMinute: 3 });
    for (let i = 0; i < 3; i++) expect((await limited.get('/ok', 'a')).status).toBe(200);
    const refused = await limited.get('/ok', 'a');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('20');
    expect(await refused.json()).toEqual({
      error: { code: 'rate_limited', message: 'too many requests from this client: try again in 20 s' },
    });
    expect((await limited.get('/ok', 'b')).status).toBe(200);
    expect((await limited.get('/ok', null)).status).toBe(200);
    limited.advance(20_000);
    expect((await limited.get('/ok', 'a')).status).toBe(200);
  });

  it('gives browsers a short page', async () => {
    const limited = app({ perMinute: 1 });
    await limited.get('/ok', 'a');
    const page = await limited.get('/ok', 'a', 'text/html,application/xhtml+xml');
    expect(page.status).toBe(429);
    expect(await page.text()).toMatch(/Too many requests\. Please try again in 60 seconds/);
  });

  it('counts only the answers it is told to', async () => {
    const limited = app({ perMinute: 2, counts: (status) => status >= 400 });
    for (let i = 0; i < 10; i++) expect((await limited.get('/ok', 'a')).status).toBe(200);
    expect((await limited.get('/no', 'a')).status).toBe(401);
    expect((await limited.get('/no', 'a')).status).toBe(401);
    expect((await limited.get('/ok', 'a')).status).toBe(429);
  });

  it('is off at 0', async () => {
    const open = app({ perMinute: 0 });
    for (let i = 0; i < 5; i++) expect((await open.get('/ok', 'a')).status).toBe(200);
  });
});

describe('clientAddress', () => {
  const seen = async (trusted: number, forwarded?: string) => {
    const hono = new Hono().get('/', (c) => c.text(clientAddress(c, trusted)));
    const headers: Record<string, string> = forwarded === undefined ? {} : { 'x-forwarded-for': forwarded };
    return (await hono.request('/', { headers })).text();
  };

  it('ignores X-Forwarded-For unless proxies are trusted', async () => {
    expect(await seen(0, '203.0.113.9')).toBe('unknown');
  });

  it('takes the entry the trusted proxies added, not what the client wrote', async () => {
    expect(await seen(1, '203.0.113.9')).toBe('203.0.113.9');
    expect(await seen(1, '10.0.0.1, 203.0.113.9')).toBe('203.0.113.9');
    expect(await seen(2, 'forged, 198.51.100.7, 10.0.0.2')).toBe('198.51.100.7');
    expect(await seen(1, '[2001:db8:1:2:3:4:5:6]:443')).toBe('2001:db8:1:2::/64');
    expect(await seen(1, '198.51.100.7:5555')).toBe('198.51.100.7');
    expect(await seen(1, 'garbage')).toBe('unknown');
    expect(await seen(3, '198.51.100.7')).toBe('unknown');
  });
});

describe('clientKey', () => {
  it('keys IPv4 by address, IPv4-mapped IPv6 as IPv4, IPv6 by its /64', () => {
    expect(clientKey('198.51.100.7')).toBe('198.51.100.7');
    expect(clientKey('::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('2001:db8:0:0:ffff::9')).toBe('2001:db8:0:0::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientKey('64:ff9b::198.51.100.7')).toBe('64:ff9b:0:0::/64');
  });
});
