import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestEngine, type TestEngine } from '../support/engine.ts';
import { publish, send, waitForRun } from '../support/journeys.ts';
import { startWecomPeer, type WecomPeer } from '../support/wecom-peer.ts';

const CORP = 'ww1234567890abcdef';
const SECRET = 'tend-test-contact-secret';
let peer: WecomPeer;
let engine: TestEngine;

const journey = `
id: wecom-care
name: WeCom care
trigger: { event: order.shipped }
entry: { reenter: always }
start: note
states:
  note:
    steps:
      - id: note
        uses: messaging.send
        with: { channel: wecom, template: shipped, data: { order: "{{ event.data.order }}" } }
    end: done
`;
const customer = (id: string, externalUserId: string | null, consent = 'granted') =>
  engine.api('PUT', `/api/customers/${id}`, {
    name: '王芳',
    locale: 'zh-CN',
    attributes: externalUserId ? { wecom: externalUserId } : {},
    consent: { wecom: consent },
  });
const messages = async (id: string) =>
  (await engine.api('GET', `/api/messages?customer=${id}&channel=wecom`)).body.messages as any[];
const callsTo = (externalUserId: string) =>
  peer.calls.filter((c) => c.body.external_userid?.[0] === externalUserId);

beforeAll(async () => {
  peer = await startWecomPeer(CORP, SECRET, ['wmContactA', 'wmContactB', 'wmContactC', 'wmContactE']);
  const root = await mkdtemp(path.join(tmpdir(), 'tend-wecom-'));
  await mkdir(path.join(root, 'templates', 'wecom'), { recursive: true });
  await writeFile(
    path.join(root, 'templates', 'wecom', 'shipped.zh-CN.liquid'),
    '{{ customer.name }}您好，您的订单 {{ data.order }} 已发货。',
  );
  await writeFile(
    path.join(root, 'templates', 'wecom', 'shipped.en.liquid'),
    'Hello {{ customer.name }}, your order {{ data.order }} has shipped.',
  );
  engine = await startTestEngine({
    TEND_WORKFLOWS_DIR: root,
    TEND_WECOM_CORP_ID: CORP,
    TEND_WECOM_CORP_SECRET: SECRET,
    TEND_WECOM_SENDER: 'zhangsan',
    TEND_WECOM_API_BASE: peer.url,
    TEND_WECOM_LIMITS: '2/31d',
    TEND_PROVIDER_TIMEOUT_MS: '1000',
  });
  await publish(engine, journey);
});
afterAll(async () => {
  await engine?.stop();
  await peer?.close();
});

describe('WeCom messages to external contacts (a local WeCom API with its token flow)', () => {
  it('fetches an access token once, creates the mass-send task for the contact; a journey completes', async () => {
    await customer('w1', 'wmContactA');
    await send(engine, 'w1', 'order.shipped', { order: 'W-1' });
    const run = await waitForRun(engine, 'w1', (r) => r.status !== 'active');
    expect(run.status).toBe('completed');
    const [call] = callsTo('wmContactA');
    expect(call?.body).toEqual({
      chat_type: 'single',
      external_userid: ['wmContactA'],
      sender: 'zhangsan',
      text: { content: '王芳您好，您的订单 W-1 已发货。' },
    });
    expect(call?.errcode).toBe(0);
    expect(run.steps.note).toMatchObject({
      status: 'sent',
      provider: 'wecom',
      messageId: expect.stringMatching(/^msg/),
    });
    expect(peer.tokenFetches).toBe(1);
  });

  it('keeps its token between sends, and fetches a new one when WeCom says it expired', async () => {
    await customer('w2', 'wmContactB');
    await send(engine, 'w2', 'order.shipped', { order: 'W-2' });
    await waitForRun(engine, 'w2', (r) => r.status === 'completed');
    expect(peer.tokenFetches).toBe(1);
    peer.expireTokens();
    await send(engine, 'w2', 'order.shipped', { order: 'W-3' });
    await eventually(async () =>
      (await messages('w2')).filter((m) => m.status === 'sent').length === 2 ? true : undefined,
    );
    expect(callsTo('wmContactB').map((c) => c.errcode)).toEqual([0, 42001, 0]);
    expect(peer.tokenFetches).toBe(2);
    const [expiredCall, retried] = callsTo('wmContactB').slice(1);
    expect(retried?.token).not.toBe(expiredCall?.token);
  });

  it('retries a busy system, then sends; fails a contact WeCom cannot reach without retrying', async () => {
    peer.script.push(-1);
    await customer('w3', 'wmContactC');
    await send(engine, 'w3', 'order.shipped', { order: 'W-4' });
    const run = await waitForRun(engine, 'w3', (r) => r.status !== 'active', 30_000);
    expect(run.status).toBe('completed');
    expect(run.history.filter((h) => h.type === 'step.retry').map((h) => h.detail.error.code)).toEqual([
      'wecom_-1',
    ]);

    await customer('w4', 'wmStranger');
    await send(engine, 'w4', 'order.shipped', { order: 'W-5' });
    const failed = await waitForRun(engine, 'w4', (r) => r.status !== 'active', 30_000);
    expect(failed.status).toBe('failed');
    await new Promise((r) => setTimeout(r, 2500));
    expect(callsTo('wmStranger')).toHaveLength(1);
    const [message] = await messages('w4');
    expect(message).toMatchObject({ status: 'failed', reason: 'wecom_not_deliverable', attempts: 1 });
  });

  it('respects consent and the contact’s address, and keeps to the monthly limit as a frequency cap', async () => {
    await customer('w5', 'wmContactA', 'withdrawn');
    await customer('w6', null);
    await send(engine, 'w5', 'order.shipped', { order: 'W-6' });
    await send(engine, 'w6', 'order.shipped', { order: 'W-7' });
    const [withdrawn] = await eventually(async () =>
      (await messages('w5')).length ? messages('w5') : undefined,
    );
    const [noAddress] = await eventually(async () =>
      (await messages('w6')).length ? messages('w6') : undefined,
    );
    expect(withdrawn).toMatchObject({ status: 'skipped', reason: 'consent_withdrawn' });
    expect(noAddress).toMatchObject({ status: 'skipped', reason: 'no_address' });

    await customer('w7', 'wmContactE');
    for (const [i, order] of ['E-1', 'E-2', 'E-3'].entries()) {
      await send(engine, 'w7', 'order.shipped', { order });
      await eventually(async () => {
        const m = await messages('w7');
        return m.length === i + 1 && m.every((x) => x.status === 'sent' || x.status === 'skipped');
      });
    }
    const all = await messages('w7');
    expect(all.filter((m) => m.status === 'sent')).toHaveLength(2);
    expect(all.find((m) => m.status === 'skipped')).toMatchObject({ reason: 'provider_limit' });
    expect(callsTo('wmContactE')).toHaveLength(2);
  });
});
