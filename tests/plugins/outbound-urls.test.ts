import dns from 'node:dns';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/engine.ts';
import { publish, runDetail, runsOf, send, waitForRun } from '../support/journeys.ts';
import { type SignedPeer, startSignedPeer } from '../support/signed-peer.ts';

const SECRET = 'hook-secret-0123456789';
let peer: SignedPeer;
let engine: TestEngine;

// Where the webhook goes comes from the event, as an attacker sending events would have it.
const journey = `
id: hooks
name: Hooks to where the event says
trigger: { event: hooks.start }
start: call
states:
  call:
    steps:
      - id: hook
        uses: messaging.send
        with: { channel: webhook, url: "http://{{ event.data.target }}", data: { note: "hi" } }
    end: done
`;

beforeAll(async () => {
  peer = await startSignedPeer(SECRET);
  // No DNS server is reachable here: this one name stands for a host on the office network.
  const real = dns.promises.lookup.bind(dns.promises);
  vi.spyOn(dns.promises, 'lookup').mockImplementation(((host: string, options: object) =>
    host === 'intranet.corp.test'
      ? Promise.resolve([{ address: '10.1.2.3', family: 4 }])
      : real(host, options as dns.LookupAllOptions)) as typeof dns.promises.lookup);
  // Nothing allowed: what a real installation starts with.
  engine = await startTestEngine({ TEND_WEBHOOK_SECRET: SECRET, TEND_OUTBOUND_ALLOW: '' });
  await publish(engine, journey);
});
afterAll(async () => {
  await engine?.stop();
  await peer?.close();
  vi.restoreAllMocks();
});

describe('webhook URLs from event data cannot reach this machine or private networks', () => {
  const port = () => new URL(peer.url).port;

  it.each([
    ['loopback', () => `127.0.0.1:${port()}/hook`, /127\.0\.0\.1 is a loopback address/],
    ['loopback as a decimal number', () => `2130706433:${port()}/hook`, /127\.0\.0\.1 is a loopback address/],
    ['loopback as IPv4-mapped IPv6', () => `[::ffff:127.0.0.1]:${port()}/hook`, /IPv4-mapped loopback/],
    [
      'localhost',
      () => `localhost:${port()}/hook`,
      /localhost resolves to (127\.0\.0\.1|::1), a loopback address/,
    ],
    [
      'the cloud metadata service',
      () => '169.254.169.254/latest/meta-data/',
      /169\.254\.169\.254 is a link-local address/,
    ],
    [
      'a name resolving to 10.x',
      () => 'intranet.corp.test/admin',
      /intranet\.corp\.test resolves to 10\.1\.2\.3, a private address/,
    ],
  ])('%s: the step fails once, not retried, with a clear user error', async (name, url, says) => {
    const customer = `ssrf-${name.replace(/\W+/g, '-')}`;
    await engine.api('PUT', `/api/customers/${customer}`, { consent: { webhook: 'granted' } });
    await send(engine, customer, 'hooks.start', { target: url() });
    const run = await waitForRun(engine, customer, (r) => r.status !== 'active', 30_000);
    expect(run.status).toBe('failed');
    const failure = run.history.find((h) => h.detail?.error);
    expect(failure?.detail.error).toMatchObject({ code: 'forbidden_url', kind: 'user' });
    expect(failure?.detail.error.message).toMatch(says);
    expect(failure?.detail.error.message).toContain('TEND_OUTBOUND_ALLOW');
    expect(run.history.filter((h) => h.type === 'step.retry')).toEqual([]);
    const [message] = (await engine.api('GET', `/api/messages?customer=${customer}&channel=webhook`)).body
      .messages;
    expect(message).toMatchObject({ status: 'failed', reason: 'forbidden_url', attempts: 1 });
  });

  it('reached none of them', () => {
    expect(peer.calls).toEqual([]);
  });

  it('says at start when a configured provider is local and not allowed', async () => {
    await expect(
      startTestEngine({ TEND_SMS_URL: `${peer.url}/sms`, TEND_SMS_SECRET: SECRET, TEND_OUTBOUND_ALLOW: '' }),
    ).rejects.toThrow(
      /TEND_SMS_URL points to 127\.0\.0\.1, a loopback address: add 127\.0\.0\.1 to TEND_OUTBOUND_ALLOW/,
    );
  });
});

describe('with the allowlist', () => {
  it('sends to a listed address', async () => {
    const allowed = await startTestEngine({ TEND_WEBHOOK_SECRET: SECRET, TEND_OUTBOUND_ALLOW: '127.0.0.1' });
    try {
      await publish(allowed, journey);
      await allowed.api('PUT', '/api/customers/allowed-1', { consent: { webhook: 'granted' } });
      await send(allowed, 'allowed-1', 'hooks.start', { target: `${peer.url.replace('http://', '')}/hook` });
      const run = await waitForRun(allowed, 'allowed-1', (r) => r.status !== 'active', 30_000);
      expect(run.status, JSON.stringify(run.history)).toBe('completed');
      expect(peer.calls.map((c) => c.path)).toEqual(['/hook']);
      expect((await runsOf(allowed, 'allowed-1')).length).toBe(1);
      expect(
        (await runDetail(allowed, (await runsOf(allowed, 'allowed-1'))[0]?.id ?? '')).steps.hook,
      ).toMatchObject({
        status: 'sent',
      });
    } finally {
      await allowed.stop();
    }
  });
});
