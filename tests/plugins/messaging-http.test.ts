import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineClock, eventually, startTestEngine, type TestEngine } from '../support/engine.ts';
import { publish, send, waitForRun } from '../support/journeys.ts';
import { type SignedPeer, sign, startSignedPeer } from '../support/signed-peer.ts';

const SMS_SECRET = 'sms-secret-0123456789';
const HOOK_SECRET = 'hook-secret-0123456789';
let sms: SignedPeer;
let hooks: SignedPeer;
let engine: TestEngine;

const journey = `
id: texts
name: Texts and hooks
trigger: { event: texts.start }
start: text
states:
  text:
    steps:
      - id: sms
        uses: messaging.send
        with: { channel: sms, template: coupon, data: { coupon: "C-{{ customer.id }}" } }
      - id: hook
        uses: messaging.send
        with: { channel: webhook, data: { note: "first order {{ event.data.order }}" } }
    wait: { event: message.delivered, timeout: 1h }
    on:
      message.delivered: delivered
      timeout: done
  delivered: { end: delivered }
  done: { end: completed }
`;

const customer = (id: string) =>
  engine.api('PUT', `/api/customers/${id}`, {
    phone: '+86 138 0013 8000',
    locale: 'en',
    consent: { sms: 'granted', webhook: 'granted' },
  });
const callsOf = (peer: SignedPeer, id: string) => peer.calls.filter((c) => c.body.customerId === id);

beforeAll(async () => {
  sms = await startSignedPeer(SMS_SECRET);
  hooks = await startSignedPeer(HOOK_SECRET);
  sms.hangMs = 1500;
  engine = await startTestEngine({
    TEND_SMS_URL: `${sms.url}/sms`,
    TEND_SMS_SECRET: SMS_SECRET,
    TEND_WEBHOOK_URL: `${hooks.url}/hook`,
    TEND_WEBHOOK_SECRET: HOOK_SECRET,
    TEND_PROVIDER_TIMEOUT_MS: '500',
  });
  await publish(engine, journey);
});
afterAll(async () => {
  await engine?.stop();
  await sms?.close();
  await hooks?.close();
});

describe('SMS and webhooks through real HTTP providers', () => {
  it('posts signed JSON with the idempotency key; a signed delivery callback moves the run on', async () => {
    await customer('p1');
    await send(engine, 'p1', 'texts.start', { order: 'A-1' });
    const [text] = await eventually(async () =>
      callsOf(sms, 'p1').length > 0 ? callsOf(sms, 'p1') : undefined,
    );
    expect(text?.validSignature).toBe(true);
    expect(text?.body).toMatchObject({
      channel: 'sms',
      to: '+8613800138000',
      template: 'coupon',
      locale: 'en',
    });
    expect(text?.body.text).toContain('C-p1 gets you 15% off');
    expect(text?.key).toBe(text?.body.id);
    const [hook] = await eventually(async () =>
      callsOf(hooks, 'p1').length > 0 ? callsOf(hooks, 'p1') : undefined,
    );
    expect(hook).toMatchObject({ path: '/hook', validSignature: true });
    expect(hook?.body.data).toEqual({ note: 'first order A-1' });
    expect(hook?.key).not.toBe(text?.key);

    const run = await waitForRun(engine, 'p1', (r) => r.state === 'text' && !!r.steps.hook);
    expect(run.steps.sms).toMatchObject({
      status: 'sent',
      provider: 'sms',
      messageId: `prov-${text?.key.slice(-12)}`,
    });
    const body = JSON.stringify({ messageId: (run.steps.sms as any).messageId, event: 'delivered' });
    const callback = await fetch(`${engine.url}/api/messages/callbacks/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...sign(SMS_SECRET, body) },
      body,
    });
    expect(callback.status).toBe(202);
    const done = await waitForRun(engine, 'p1', (r) => r.status === 'completed');
    expect(done.outcome).toBe('delivered');
    const outbox = await engine.api('GET', '/api/messages?customer=p1&channel=sms');
    expect(outbox.body.messages[0].feedback).toMatchObject([{ type: 'delivered' }]);
  });

  it('rides out a retry storm (500, then a timeout, then 200) with one key: delivered once', async () => {
    sms.script.push(500, 'hang');
    await customer('p2');
    await send(engine, 'p2', 'texts.start', { order: 'B-2' });
    const run = await waitForRun(engine, 'p2', (r) => !!r.steps.hook, 40_000);
    expect(run.steps.sms).toMatchObject({ status: 'sent' });
    const calls = callsOf(sms, 'p2');
    expect(calls).toHaveLength(3);
    expect(new Set(calls.map((c) => c.key)).size).toBe(1);
    expect(run.history.filter((h) => h.type === 'step.retry').map((h) => h.detail.error.code)).toEqual([
      'provider_unavailable',
      'provider_timeout',
    ]);
    const [message] = (await engine.api('GET', '/api/messages?customer=p2&channel=sms')).body.messages;
    expect(message).toMatchObject({ status: 'sent', attempts: 3 });
    await new Promise((r) => setTimeout(r, 1000));
    expect(callsOf(sms, 'p2')).toHaveLength(3);
  }, 60_000);

  it('does not retry a permanent rejection (4xx): the message failed, once', async () => {
    sms.script.push(422);
    await customer('p3');
    await send(engine, 'p3', 'texts.start');
    const run = await waitForRun(engine, 'p3', (r) => r.status !== 'active', 30_000);
    expect(run.status).toBe('failed');
    await new Promise((r) => setTimeout(r, 2500));
    expect(callsOf(sms, 'p3')).toHaveLength(1);
    const [message] = (await engine.api('GET', '/api/messages?customer=p3&channel=sms')).body.messages;
    expect(message).toMatchObject({ status: 'failed', reason: 'provider_rejected', attempts: 1 });
  });

  it('answers bad callbacks with 4xx and records nothing', async () => {
    const post = (body: string, headers: Record<string, string> = {}) =>
      fetch(`${engine.url}/api/messages/callbacks/sms`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    const good = JSON.stringify({ messageId: 'nope', event: 'opened' });
    expect((await post(good)).status).toBe(401);
    expect((await post(good, { 'x-tend-timestamp': '1', 'x-tend-signature': 'v1=00' })).status).toBe(401);
    const stale = sign(SMS_SECRET, good, new Date(engineClock().getTime() - 3_600_000));
    expect((await post(good, stale)).status).toBe(401);
    const key = { authorization: 'Bearer test-admin-key-0123456789' };
    expect((await post('{not json', key)).status).toBe(400);
    expect((await post(JSON.stringify({ messageId: 'x', event: 'exploded' }), key)).status).toBe(400);
    expect((await post(good, key)).status).toBe(404);
  });
});
