import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestEngine, type TestEngine } from '../support/engine.ts';
import { publish, runsOf, send, waitForRun } from '../support/journeys.ts';

/*
 * Referrals end to end with the shipped journeys: a customer's code and link, a friend who signs
 * up with it (typed in lower case), the friend's first order, and the referrer's 500 points —
 * once per friend, however often the friend orders.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let engine: TestEngine;

const referralsOf = async (id: string) => (await engine.api('GET', `/api/referrals/customers/${id}`)).body;
const pointsOf = async (id: string) => (await engine.api('GET', `/api/loyalty/${id}`)).body.balance as number;

describe('referrals', () => {
  beforeAll(async () => {
    engine = await startTestEngine();
    for (const file of ['referral.yaml', 'referral-reward.yaml'])
      await publish(engine, readFileSync(path.join(root, 'workflows', file), 'utf8'));
    await engine.api('PUT', '/api/customers/ana', { name: 'Ana', email: 'ana@example.com' });
  });
  afterAll(async () => {
    await engine?.stop();
  });

  it('gives a customer one code and a link that shows it', async () => {
    expect((await referralsOf('ana')).code).toBeNull();
    const made = await engine.api('POST', '/api/referrals/customers/ana/code');
    expect(made.status).toBe(200);
    expect(made.body.display).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(made.body.link).toBe(`${engine.url}/r/${made.body.display}`);
    // Asked again: the same code.
    expect((await engine.api('POST', '/api/referrals/customers/ana/code')).body.code).toBe(made.body.code);

    const page = await fetch(made.body.link, { headers: { 'accept-language': 'zh-CN,zh;q=0.9' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('您收到了一份邀请');
    expect(html).toContain(made.body.display);
    expect((await fetch(`${engine.url}/r/ZZZZ-ZZZZ`)).status).toBe(404);
    expect((await engine.api('GET', '/api/referrals/customers/nobody')).status).toBe(404);
  });

  it('credits a referred sign-up and its first order to the referrer, who gets points once', async () => {
    const { display } = await referralsOf('ana');
    await send(engine, 'bo', 'customer.signed_up', { referralCode: String(display).toLowerCase() });
    await waitForRun(engine, 'bo', (r) => r.state === 'first-order');
    await eventually(async () => ((await referralsOf('ana')).signedUp === 1 ? true : undefined));
    const ana = await referralsOf('ana');
    expect(ana.referred).toEqual([expect.objectContaining({ customerId: 'bo', convertedAt: null })]);
    expect((await referralsOf('bo')).referredBy).toBe('ana');

    await send(engine, 'bo', 'order.placed', { amount: 30 });
    expect((await waitForRun(engine, 'bo', (r) => r.status !== 'active')).outcome).toBe('converted');
    await eventually(async () => ((await pointsOf('ana')) === 500 ? true : undefined));
    expect(await referralsOf('ana')).toMatchObject({ signedUp: 1, converted: 1 });
    const [reward] = await runsOf(engine, 'ana', 'referral-reward');
    expect(reward?.outcome).toBe('rewarded');

    // The friend orders again: no second reward.
    await send(engine, 'bo', 'order.placed', { amount: 45 });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await pointsOf('ana')).toBe(500);
    expect(await runsOf(engine, 'ana', 'referral-reward')).toHaveLength(1);
  });

  it('counts referrals in conditions (customer.referrals), and credits nobody for a code nobody has', async () => {
    const preview = await engine.api('POST', '/api/segments/preview', {
      definition: 'customer.referrals.converted >= 1',
    });
    expect(preview.status).toBe(200);
    expect(preview.body.sample).toEqual(['ana']);

    await send(engine, 'cy', 'customer.signed_up', { referralCode: 'ZZZZ-ZZZZ' });
    expect((await waitForRun(engine, 'cy', (r) => r.status !== 'active')).outcome).toBe('not-credited');
    expect((await referralsOf('cy')).referredBy).toBeNull();
    // A sign-up without a code does not enter the journey at all.
    await send(engine, 'dee', 'customer.signed_up', {});
    await new Promise((r) => setTimeout(r, 1000));
    expect(await runsOf(engine, 'dee', 'referral')).toHaveLength(0);
  });
});
