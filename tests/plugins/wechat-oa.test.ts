import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestEngine, type TestEngine } from '../support/engine.ts';
import { publish, send, waitForRun } from '../support/journeys.ts';
import { startWechatPeer, type WechatPeer } from '../support/wechat-peer.ts';

const APP_ID = 'wx1234567890abcdef';
const SECRET = 'tend-test-app-secret-0123456789';
const TEMPLATE = 'ngqIpbwh8bUfcSsECmogfXcV14J0tQlEpBO27izEYtY';
let peer: WechatPeer;
let engine: TestEngine;
let workflows: string;

const journey = `
id: wechat-care
name: WeChat care
trigger: { event: order.shipped }
entry: { reenter: always }
start: note
states:
  note:
    steps:
      - id: note
        uses: messaging.send
        with: { channel: wechat, template: shipped, data: { order: "{{ event.data.order }}" } }
    end: done
`;
const customer = (id: string, openid: string | null) =>
  engine.api('PUT', `/api/customers/${id}`, {
    name: '张伟',
    locale: 'zh-CN',
    attributes: openid ? { wechat: openid } : {},
    consent: { wechat: 'granted' },
  });
const messages = async (id: string) =>
  (await engine.api('GET', `/api/messages?customer=${id}&channel=wechat`)).body.messages as any[];
const callsTo = (openid: string) => peer.calls.filter((c) => c.body.touser === openid);

beforeAll(async () => {
  peer = await startWechatPeer(APP_ID, SECRET, ['oFollowerA', 'oFollowerB', 'oFollowerC'], [TEMPLATE]);
  const root = await mkdtemp(path.join(tmpdir(), 'tend-wechat-'));
  workflows = root;
  await mkdir(path.join(root, 'templates', 'wechat'), { recursive: true });
  const front = `---\ntemplateCode: ${TEMPLATE}\nparams:\n  thing1: "{{ customer.name }}"\n  character_string2: "{{ data.order }}"\n---\n`;
  await writeFile(
    path.join(root, 'templates', 'wechat', 'shipped.zh-CN.liquid'),
    `${front}{{ customer.name }}，您的订单 {{ data.order }} 已发货。`,
  );
  await writeFile(
    path.join(root, 'templates', 'wechat', 'shipped.en.liquid'),
    `${front}{{ customer.name }}, your order {{ data.order }} has shipped.`,
  );
  engine = await startTestEngine({
    TEND_WORKFLOWS_DIR: root,
    TEND_WECHAT_OA_APP_ID: APP_ID,
    TEND_WECHAT_OA_APP_SECRET: SECRET,
    TEND_WECHAT_OA_API_BASE: peer.url,
    TEND_PROVIDER_TIMEOUT_MS: '1000',
  });
  await publish(engine, journey);
});
afterAll(async () => {
  await engine?.stop();
  await peer?.close();
});

describe('WeChat Official Account template messages (a local WeChat API with its token flow)', () => {
  it('sends the template with its fields to the follower’s openid; a journey completes', async () => {
    await customer('c1', 'oFollowerA');
    await send(engine, 'c1', 'order.shipped', { order: 'C-1' });
    const run = await waitForRun(engine, 'c1', (r) => r.status !== 'active');
    expect(run.status).toBe('completed');
    const [call] = callsTo('oFollowerA');
    expect(call?.path).toBe('/cgi-bin/message/template/send');
    expect(call?.body).toEqual({
      touser: 'oFollowerA',
      template_id: TEMPLATE,
      data: { thing1: { value: '张伟' }, character_string2: { value: 'C-1' } },
    });
    expect(run.steps.note).toMatchObject({
      status: 'sent',
      provider: 'wechat',
      messageId: expect.stringMatching(/^2002/),
    });
    expect(peer.tokenFetches).toBe(1);
  });

  it('fetches a new token when WeChat says it expired, and sends once', async () => {
    peer.expireTokens();
    await customer('c2', 'oFollowerB');
    await send(engine, 'c2', 'order.shipped', { order: 'C-2' });
    await waitForRun(engine, 'c2', (r) => r.status === 'completed');
    expect(callsTo('oFollowerB').map((c) => c.errcode)).toEqual([42001, 0]);
    expect(peer.tokenFetches).toBe(2);
  });

  it('retries a busy system; fails someone who does not follow the account without retrying', async () => {
    peer.script.push(-1);
    await customer('c3', 'oFollowerC');
    await send(engine, 'c3', 'order.shipped', { order: 'C-3' });
    const run = await waitForRun(engine, 'c3', (r) => r.status !== 'active', 30_000);
    expect(run.status).toBe('completed');
    expect(run.history.filter((h) => h.type === 'step.retry').map((h) => h.detail.error.code)).toEqual([
      'wechat_-1',
    ]);

    await customer('c4', 'oStranger');
    await send(engine, 'c4', 'order.shipped', { order: 'C-4' });
    const failed = await waitForRun(engine, 'c4', (r) => r.status !== 'active', 30_000);
    expect(failed.status).toBe('failed');
    await new Promise((r) => setTimeout(r, 2500));
    expect(callsTo('oStranger')).toHaveLength(1);
    const [message] = await eventually(async () =>
      (await messages('c4')).length ? messages('c4') : undefined,
    );
    expect(message).toMatchObject({ status: 'failed', reason: 'wechat_43004', attempts: 1 });
  });

  it('sends subscribe messages instead with TEND_WECHAT_OA_KIND=subscribe', async () => {
    const subscribe = await startTestEngine({
      TEND_WORKFLOWS_DIR: workflows,
      TEND_WECHAT_OA_APP_ID: APP_ID,
      TEND_WECHAT_OA_APP_SECRET: SECRET,
      TEND_WECHAT_OA_API_BASE: peer.url,
      TEND_WECHAT_OA_KIND: 'subscribe',
    });
    try {
      await publish(subscribe, journey);
      await subscribe.api('PUT', '/api/customers/s1', {
        name: '张伟',
        locale: 'zh-CN',
        attributes: { wechat: 'oFollowerB' },
        consent: { wechat: 'granted' },
      });
      await send(subscribe, 's1', 'order.shipped', { order: 'S-1' });
      const run = await waitForRun(subscribe, 's1', (r) => r.status !== 'active');
      expect(run.status).toBe('completed');
      const last = peer.calls.at(-1);
      expect(last).toMatchObject({ path: '/cgi-bin/message/subscribe/bizsend', errcode: 0 });
      expect(last?.body.data).toEqual({ thing1: { value: '张伟' }, character_string2: { value: 'S-1' } });
    } finally {
      await subscribe.stop();
    }
  });
});
