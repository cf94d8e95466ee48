import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/engine.ts';

let engine: TestEngine;

beforeAll(async () => {
  // Behind one trusted proxy, X-Forwarded-For tells the clients apart (every test request
  // comes from 127.0.0.1).
  engine = await startTestEngine(
    { TEND_PUBLIC_RATE_LIMIT: '5', TEND_SIGNIN_RATE_LIMIT: '3', TEND_TRUST_PROXY: 'true' },
    { workers: false },
  );
});
afterAll(async () => {
  await engine?.stop();
});

const from = (client: string, init: RequestInit & { headers?: Record<string, string> } = {}) => ({
  ...init,
  headers: { 'x-forwarded-for': client, ...init.headers },
});

/** A real survey link for a new customer, as surveys.send would put in a message. */
async function surveyUrl(customerId: string): Promise<string> {
  expect((await engine.api('PUT', `/api/customers/${customerId}`, { locale: 'en' })).status).toBe(201);
  // The row surveys.send writes (in the surveys plugin's schema), and the link it signs.
  const ctx = engine.services.plugins.context('surveys');
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + 86_400_000);
  const id = randomUUID();
  await ctx.db
    .insertInto('links')
    .values({
      id,
      key: `rate-limit:${customerId}`,
      survey: 'nps',
      customer_id: customerId,
      workflow_id: null,
      run_id: null,
      channel: 'email',
      locale: 'en',
      segment: null,
      stage: null,
      created_at: now,
      expires_at: expiresAt,
    })
    .execute();
  return `${engine.url}/s/${ctx.links.sign({ s: id }, expiresAt)}`;
}

describe('public pages are rate-limited per client', () => {
  it('answers a burst of guessed links from one client with 429 after the limit, then lets a valid answer through', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await fetch(
        `${engine.url}/s/guess-${i}`,
        from('203.0.113.1', { headers: { accept: 'text/html' } }),
      );
      statuses.push(res.status);
      if (res.status === 429) {
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(await res.text()).toMatch(/Too many requests/);
      } else await res.text();
    }
    expect(statuses).toEqual([404, 404, 404, 404, 404, 429, 429]);
    const json = await fetch(`${engine.url}/u/guess`, from('203.0.113.1'));
    expect(json.status).toBe(429);
    expect(await json.json()).toMatchObject({
      error: { code: 'rate_limited', message: expect.stringMatching(/try again in \d+ s/) },
    });

    // The same client's valid survey link is its own bucket: the page and the first answer pass.
    const url = await surveyUrl('rl-ana');
    const page = await fetch(url, from('203.0.113.1'));
    expect(page.status).toBe(200);
    await page.text();
    const answer = await fetch(
      url,
      from('203.0.113.1', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'score=9',
      }),
    );
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain('Thank');
  });

  it('lets the first request of another client through', async () => {
    const other = await fetch(`${engine.url}/s/guess`, from('198.51.100.2'));
    expect(other.status).toBe(404);
    await other.text();
  });

  it('counts only refused provider callbacks', async () => {
    const post = (client: string) =>
      fetch(
        `${engine.url}/api/messages/callbacks/sms`,
        from(client, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ messageId: 'm', event: 'delivered' }),
        }),
      );
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await post('203.0.113.3')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect((await post('203.0.113.4')).status).toBe(401);
  });
});

describe('sign-in is rate-limited per client', () => {
  const signIn = (client: string, password: string) =>
    fetch(
      `${engine.url}/api/session`,
      from(client, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'ada@example.com', password }),
      }),
    ).then(async (r) => ({
      status: r.status,
      retryAfter: r.headers.get('retry-after'),
      body: (await r.json()) as any,
    }));

  it('creates the first admin, whose sign-ins never count against the limit', async () => {
    const setup = await fetch(
      `${engine.url}/api/setup`,
      from('192.0.2.10', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'ada@example.com', password: 'a long passphrase' }),
      }),
    );
    expect(setup.status).toBe(201);
    for (let i = 0; i < 5; i++) expect((await signIn('192.0.2.10', 'a long passphrase')).status).toBe(200);
  });

  it('refuses a client after its failed attempts, even with the right password; others go on', async () => {
    for (let i = 0; i < 3; i++) expect((await signIn('192.0.2.20', `guess ${i}`)).status).toBe(401);
    const held = await signIn('192.0.2.20', 'a long passphrase');
    expect(held.status).toBe(429);
    expect(Number(held.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(held.body.error).toMatchObject({ code: 'rate_limited' });
    expect((await signIn('192.0.2.21', 'a long passphrase')).status).toBe(200);
  });
});
