import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestEngine, type TestEngine } from '../support/engine.ts';
import { publish, send, waitForRun } from '../support/journeys.ts';
import { shippedJourney, smsTemplateFolder } from '../support/sms-templates.ts';
import { startTencentSmsPeer, type TencentSmsPeer } from '../support/tencent-sms-peer.ts';

const SECRET_ID = 'AKIDTendTestSecretId0123456789';
const SECRET_KEY = 'tend-test-secret-key-0123456789';
let peer: TencentSmsPeer;
let engine: TestEngine;

const customer = (id: string, phone = '+86 138 0013 8000') =>
  engine.api('PUT', `/api/customers/${id}`, {
    name: '韩梅梅',
    phone,
    locale: 'zh-CN',
    consent: { sms: 'granted' },
  });
const messages = async (id: string) =>
  (await engine.api('GET', `/api/messages?customer=${id}&channel=sms`)).body.messages as any[];
/** The platform's calls for a customer's messages: SessionContext carries the message's key. */
const callsOf = async (id: string) => {
  const keys = new Set((await messages(id)).map((m) => m.key));
  return peer.calls.filter((c) => keys.has(c.body.SessionContext));
};
const settled = (id: string, count: number) =>
  eventually(async () => {
    const m = await messages(id);
    return m.length === count && m.every((x) => !['pending', 'sending'].includes(x.status)) ? m : undefined;
  }, 40_000);

beforeAll(async () => {
  peer = await startTencentSmsPeer({ [SECRET_ID]: SECRET_KEY });
  engine = await startTestEngine({
    TEND_WORKFLOWS_DIR: await smsTemplateFolder('1110', '腾讯云'),
    TEND_SMS_PROVIDER: 'tencent',
    TEND_SMS_TENCENT_SECRET_ID: SECRET_ID,
    TEND_SMS_TENCENT_SECRET_KEY: SECRET_KEY,
    TEND_SMS_TENCENT_SDK_APP_ID: '1400006666',
    TEND_SMS_TENCENT_ENDPOINT: peer.url,
    TEND_PROVIDER_TIMEOUT_MS: '1000',
  });
  await publish(engine, shippedJourney);
});
afterAll(async () => {
  await engine?.stop();
  await peer?.close();
});

describe('SMS through Tencent Cloud SMS (a local SendSms that checks TC3 signatures)', () => {
  it('sends the approved template with its signature and positional parameters; a journey completes', async () => {
    await customer('t1');
    await send(engine, 't1', 'order.shipped', { order: 'T-2001' });
    const run = await waitForRun(engine, 't1', (r) => r.status !== 'active');
    expect(run.status).toBe('completed');
    const [call] = await callsOf('t1');
    expect(call?.validSignature).toBe(true);
    expect(call?.headers).toMatchObject({
      'x-tc-action': 'SendSms',
      'x-tc-version': '2021-01-11',
      'x-tc-region': 'ap-guangzhou',
    });
    expect(call?.body).toMatchObject({
      PhoneNumberSet: ['+8613800138000'],
      SmsSdkAppId: '1400006666',
      SignName: '腾讯云',
      TemplateId: '1110',
      TemplateParamSet: ['韩梅梅', 'T-2001'],
    });
    expect(run.steps.sms).toMatchObject({
      status: 'sent',
      provider: 'tencent',
      messageId: expect.stringMatching(/^5000:/),
    });
  });

  it('retries a short frequency limit and an internal timeout, then sends once', async () => {
    peer.script.push('LimitExceeded.PhoneNumberThirtySecondLimit', 'InternalError.Timeout');
    await customer('t2', '+86 139 0013 9000');
    await send(engine, 't2', 'order.shipped', { order: 'T-2002' });
    const run = await waitForRun(engine, 't2', (r) => r.status !== 'active', 40_000);
    expect(run.status).toBe('completed');
    const calls = await callsOf('t2');
    expect(calls.map((c) => c.answered)).toEqual([
      'LimitExceeded.PhoneNumberThirtySecondLimit',
      'InternalError.Timeout',
      'Ok',
    ]);
    expect(calls.every((c) => c.validSignature)).toBe(true);
    expect(run.history.filter((h) => h.type === 'step.retry').map((h) => h.detail.error.code)).toEqual([
      'tencent_LimitExceeded.PhoneNumberThirtySecondLimit',
      'tencent_InternalError.Timeout',
    ]);
  }, 60_000);

  it('fails an unapproved template or a bad number at once, without retrying', async () => {
    peer.script.push('FailedOperation.TemplateIncorrectOrUnapproved');
    await customer('t3');
    await send(engine, 't3', 'order.shipped', { order: 'T-2003' });
    const run = await waitForRun(engine, 't3', (r) => r.status !== 'active', 30_000);
    expect(run.status).toBe('failed');
    await new Promise((r) => setTimeout(r, 2500));
    expect(await callsOf('t3')).toHaveLength(1);
    const [message] = await messages('t3');
    expect(message).toMatchObject({
      status: 'failed',
      reason: 'tencent_FailedOperation.TemplateIncorrectOrUnapproved',
      attempts: 1,
    });
  });

  it('is refused by the platform when the key is wrong (AuthFailure.SignatureFailure), and does not retry', async () => {
    peer.keys.set(SECRET_ID, 'another-secret-key');
    try {
      await customer('t4');
      await send(engine, 't4', 'order.shipped', { order: 'T-2004' });
      const run = await waitForRun(engine, 't4', (r) => r.status !== 'active', 30_000);
      expect(run.status).toBe('failed');
      expect((await callsOf('t4')).map((c) => [c.validSignature, c.answered])).toEqual([
        [false, 'AuthFailure.SignatureFailure'],
      ]);
    } finally {
      peer.keys.set(SECRET_ID, SECRET_KEY);
    }
  });

  it('keeps to the platform’s default limit (one message of the same content per 30 s) as a frequency cap', async () => {
    await customer('t5', '+86 137 0013 7000');
    await send(engine, 't5', 'order.shipped', { order: 'T-1' });
    await settled('t5', 1);
    await send(engine, 't5', 'order.shipped', { order: 'T-2' });
    const all = await settled('t5', 2);
    expect(all.map((m) => m.status).sort()).toEqual(['sent', 'skipped']);
    const capped = all.find((m) => m.status === 'skipped');
    expect(capped).toMatchObject({ reason: 'provider_limit' });
    expect(capped.detail).toContain('tencent: 1 per 30s of one template');
    expect(await callsOf('t5')).toHaveLength(1);
  });

  it('refuses to publish a journey whose SMS template names no platform template, with where', async () => {
    const saved = await engine.api(
      'POST',
      '/api/workflows',
      shippedJourney.replace('template: shipped', 'template: plain').replace('id: shipped', 'id: plain'),
      {
        headers: { 'content-type': 'application/yaml' },
      },
    );
    expect(saved.status).toBeGreaterThanOrEqual(400);
    expect(saved.status).toBeLessThan(500);
    expect(JSON.stringify(saved.body)).toContain(
      'templates/sms/plain.en.liquid names no platform template (front matter: templateCode, params): TEND_SMS_PROVIDER=tencent sends approved templates only',
    );
  });
});
