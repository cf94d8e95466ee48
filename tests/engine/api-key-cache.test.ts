import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_CACHE_MS } from '../../engine/src/api/key-cache.ts';
import { startTestEngine, TestClock, type TestEngine } from '../support/engine.ts';

/*
 * Two engines on one database, as two processes of one installation: each keeps the keys it
 * looked up for a few seconds, so a revocation reaches the other within that time (README).
 */
const clock = new TestClock('2026-12-06T10:00:00Z');
let a: TestEngine;
let b: TestEngine;

beforeAll(async () => {
  a = await startTestEngine({}, { workers: false, clock });
  b = await startTestEngine({ DATABASE_URL: a.databaseUrl }, { workers: false, clock });
});
afterAll(async () => {
  await b?.stop();
  await a?.stop();
});

describe('API keys across engine processes', () => {
  it('a key made in one works at once in the other; revoked, it stops at once there and within seconds elsewhere', async () => {
    const made = await a.api('POST', '/api/keys', { name: 'shop', role: 'ingest' });
    expect(made.status).toBe(201);
    const send = (engine: TestEngine) =>
      engine.api('POST', '/api/events', { customerId: 'k1', type: 'page.viewed' }, { key: made.body.key });
    expect((await send(b)).status).toBe(202);
    expect((await send(a)).status).toBe(202);

    expect((await a.api('DELETE', `/api/keys/${made.body.id}`)).status).toBe(200);
    expect((await send(a)).status).toBe(401);
    // The other process trusts what it looked up until its time is up, on the engine's clock.
    expect((await send(b)).status).toBe(202);
    clock.advance(KEY_CACHE_MS);
    expect((await send(b)).status).toBe(401);
  });
});
