import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AliyunSmsPeer, startAliyunSmsPeer } from '../support/aliyun-sms-peer.ts';
import { eventually, startTestEngine, type TestEngine } from '../support/engine.ts';
import { publish, send, waitForRun } from '../support/journeys.ts';
import { shippedJourney, smsTemplateFolder } from '../support/sms-templates.ts';

const KEY_ID = 'LTAI5tTendTestKeyId';
const SECRET = 'tend-test-access-key-secret';
let peer: AliyunSmsPeer;
let engine: TestEngine;

const customer = (id: string, consent: 'granted' | 'withdrawn' = 'granted') =>
  engine.api('PUT', `/api/customers/${id}`, {
    name: '李雷',
    phone: '+86 138 0013 8000',
    locale: 'zh-CN',
    consent: { sms: consent },
  });
const messages = async (id: string) =>
  (await engine.api('GET', `/api/messages?customer=${id}&channel=sms`)).body.messages as any[];
/** The platform's calls for a customer's messages: OutId carries the message's key. */
const callsOf = async (id: string) => {
  const keys = new Set((await messages(id)).map((m) => m.key));
  return peer.calls.filter((c) => keys.has(c.query.OutId));
};

beforeAll(async () => {
  peer = await startAliyunSmsPeer({ [KEY_ID]: SECRET });
  engine = await startTestEngine({
    TEND_WORKFLOWS_DIR: await smsTemplateFolder('SMS_465324711', '阿里云短信测试'),
    TEND_SMS_PROVIDER: 'aliyun',
    TEND_SMS_ALIYUN_ACCESS_KEY_ID: KEY_ID,
    TEND_SMS_ALIYUN_ACCESS_KEY_SECRET: SECRET,
    TEND_SMS_ALIYUN_ENDPOINT: peer.url,
    TEND_SMS_ALIYUN_LIMITS: '2/1d/template',
    TEND_PROVIDER_TIMEOUT_MS: '1000',
  });
  await publish(engine, shippedJourney);
});
afterAll(async () => {
  await engine?.stop();
  await peer?.close();
});

describe('SMS through Alibaba Cloud SMS (a local dysmsapi that checks ACS3 signatures)', () => {
  it('sends the approved template with its signature and parameters; a journey completes', async () => {
    await customer('a1');
    await send(engine, 'a1', 'order.shipped', { order: 'A-1001' });
    const run = await waitForRun(engine, 'a1', (r) => r.status !== 'active');
    expect(run.status).toBe('completed');
    const [call] = await callsOf('a1');
    expect(call?.validSignature).toBe(true);
    expect(call?.query).toMatchObject({
      PhoneNumbers: '13800138000',
      SignName: '阿里云短信测试',
      TemplateCode: 'SMS_465324711',
    });
    expect(JSON.parse(call?.query.TemplateParam ?? '')).toEqual({ name: '李雷', order: 'A-1001' });
    expect(run.steps.sms).toMatchObject({
      status: 'sent',
      provider: 'aliyun',
      messageId: expect.stringMatching(/\^0$/),
    });
    const [message] = await messages('a1');
    expect(message).toMatchObject({ status: 'sent', provider: 'aliyun', attempts: 1 });
  });

  it('retries throttling and flow control with a new nonce each time, then sends once', async () => {
    peer.script.push('Throttling.User', 'isv.BUSINESS_LIMIT_CONTROL');
    await customer('a2');
    await send(engine, 'a2', 'order.shipped', { order: 'A-1002' });
    const run = await waitForRun(engine, 'a2', (r) => r.status !== 'active', 40_000);
    expect(run.status).toBe('completed');
    const calls = await callsOf('a2');
    expect(calls.map((c) => c.answered)).toEqual(['Throttling.User', 'isv.BUSINESS_LIMIT_CONTROL', 'OK']);
    expect(calls.every((c) => c.validSignature)).toBe(true);
    expect(new Set(calls.map((c) => c.nonce)).size).toBe(3);
    expect(new Set(calls.map((c) => c.query.OutId)).size).toBe(1);
    expect(run.history.filter((h) => h.type === 'step.retry').map((h) => h.detail.error.code)).toEqual([
      'aliyun_Throttling.User',
      'aliyun_isv.BUSINESS_LIMIT_CONTROL',
    ]);
  }, 60_000);

  it('sends again after a timeout (resend), under the same OutId: the platform does not deduplicate', async () => {
    peer.script.push('hang');
    await customer('a7');
    await send(engine, 'a7', 'order.shipped', { order: 'A-1007' });
    const run = await waitForRun(engine, 'a7', (r) => r.status !== 'active', 40_000);
    expect(run.status).toBe('completed');
    const calls = await callsOf('a7');
    expect(calls).toHaveLength(2);
    expect(new Set(calls.map((c) => c.query.OutId)).size).toBe(1);
    expect(run.history.filter((h) => h.type === 'step.retry').map((h) => h.detail.error.code)).toEqual([
      'provider_timeout',
    ]);
  }, 60_000);

  it('fails an illegal number at once, without retrying', async () => {
    peer.script.push('isv.MOBILE_NUMBER_ILLEGAL');
    await customer('a3');
    await send(engine, 'a3', 'order.shipped', { order: 'A-1003' });
    const run = await waitForRun(engine, 'a3', (r) => r.status !== 'active', 30_000);
    expect(run.status).toBe('failed');
    await new Promise((r) => setTimeout(r, 2500));
    expect(await callsOf('a3')).toHaveLength(1);
    const [message] = await messages('a3');
    expect(message).toMatchObject({
      status: 'failed',
      reason: 'aliyun_isv.MOBILE_NUMBER_ILLEGAL',
      attempts: 1,
    });
  });

  it('is refused by the platform when the secret is wrong (SignatureDoesNotMatch), and does not retry', async () => {
    peer.keys.set(KEY_ID, 'another-secret');
    try {
      await customer('a4');
      await send(engine, 'a4', 'order.shipped', { order: 'A-1004' });
      const run = await waitForRun(engine, 'a4', (r) => r.status !== 'active', 30_000);
      expect(run.status).toBe('failed');
      expect((await callsOf('a4')).map((c) => [c.validSignature, c.answered])).toEqual([
        [false, 'SignatureDoesNotMatch'],
      ]);
    } finally {
      peer.keys.set(KEY_ID, SECRET);
    }
  });

  it('sends nothing without consent, and keeps to the per-number limit as a frequency cap', async () => {
    await customer('a5', 'withdrawn');
    await send(engine, 'a5', 'order.shipped', { order: 'A-1005' });
    const [skipped] = await eventually(async () =>
      (await messages('a5')).length > 0 ? messages('a5') : undefined,
    );
    expect(skipped).toMatchObject({ status: 'skipped', reason: 'consent_withdrawn' });

    await customer('a6');
    for (const order of ['B-1', 'B-2', 'B-3']) {
      await send(engine, 'a6', 'order.shipped', { order });
      const count = ['B-1', 'B-2', 'B-3'].indexOf(order) + 1;
      // One at a time: each send is settled before the next order ships.
      await eventually(async () => {
        const m = await messages('a6');
        return m.length === count && m.every((x) => x.status === 'sent' || x.status === 'skipped');
      });
    }
    const all = await eventually(async () => {
      const m = await messages('a6');
      return m.length === 3 && m.every((x) => x.status !== 'pending' && x.status !== 'sending')
        ? m
        : undefined;
    });
    expect(all.filter((m) => m.status === 'sent')).toHaveLength(2);
    const capped = all.find((m) => m.status === 'skipped');
    expect(capped).toMatchObject({ reason: 'provider_limit' });
    expect(capped.detail).toContain('aliyun: 2 per 1d of one template');
    expect(await callsOf('a6')).toHaveLength(2);
  });

  it('refuses to start with a provider nobody provides, or an endpoint on this machine not allowed', async () => {
    await expect(startTestEngine({ TEND_SMS_PROVIDER: 'nope' })).rejects.toThrow(
      /TEND_SMS_PROVIDER=nope: no installed plugin provides SMS by that name \(http, aliyun, tencent\)/,
    );
    await expect(
      startTestEngine({
        TEND_SMS_PROVIDER: 'aliyun',
        TEND_SMS_ALIYUN_ENDPOINT: peer.url,
        TEND_OUTBOUND_ALLOW: '',
      }),
    ).rejects.toThrow(/TEND_SMS_ALIYUN_ENDPOINT points to 127\.0\.0\.1, a loopback address/);
  });
});
