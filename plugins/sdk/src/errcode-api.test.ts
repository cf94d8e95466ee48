import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CachedToken } from './cached-token.ts';
import { callWithToken, type ErrcodePlatform, fetchAccessToken } from './errcode-api.ts';
import { StepError } from './step-error.ts';

const PLATFORM: ErrcodePlatform = {
  name: 'Peer',
  code: 'peer',
  what: 'the peer',
  tokenExpired: new Set([42001]),
  verdictOf: (errcode) => ({ retry: errcode === -1, user: errcode === 40003 }),
};

/** What the peer answers next, by path; every request is kept. */
let answers: Record<string, { status: number; body: string }[]> = {};
const requests: string[] = [];
let server: Server;
let base: string;
const call = () => ({
  now: new Date(),
  signal: new AbortController().signal,
  timeoutMs: 2000,
  outboundAllow: ['127.0.0.1/32'],
});

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const next = answers[path]?.shift() ?? { status: 404, body: '{}' };
    res.writeHead(next.status, { 'content-type': 'application/json' }).end(next.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const tokens = () =>
  new CachedToken<ReturnType<typeof call>>((o) => fetchAccessToken(PLATFORM, new URL('/token', base), o));
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error as StepError,
  );

describe('errcode APIs (WeCom, WeChat)', () => {
  it('fetches a token once, sends with it, and fetches another when the platform says it expired', async () => {
    requests.length = 0;
    answers = {
      '/token': [
        { status: 200, body: '{"access_token":"t1","expires_in":7200}' },
        { status: 200, body: '{"errcode":0,"access_token":"t2","expires_in":7200}' },
      ],
      '/send': [
        { status: 200, body: '{"errcode":0,"msgid":"m1"}' },
        { status: 200, body: '{"errcode":42001,"errmsg":"access_token expired"}' },
        { status: 200, body: '{"errcode":0,"msgid":"m2"}' },
      ],
    };
    const cache = tokens();
    const send = () =>
      callWithToken<{ msgid?: string }, ReturnType<typeof call>>(
        PLATFORM,
        cache,
        call(),
        new URL('/send', base),
        '{}',
      );
    expect((await send()).msgid).toBe('m1');
    expect((await send()).msgid).toBe('m2');
    expect(requests).toEqual([
      '/token',
      '/send?access_token=t1',
      '/send?access_token=t1',
      '/token',
      '/send?access_token=t2',
    ]);
  });

  it('maps errcodes by the platform verdict, and a 200 that is not JSON is not a success', async () => {
    const cache = tokens();
    answers = {
      '/token': [{ status: 200, body: '{"access_token":"t","expires_in":7200}' }],
      '/send': [
        { status: 200, body: '{"errcode":-1,"errmsg":"system busy"}' },
        { status: 200, body: '{"errcode":40003,"errmsg":"invalid userid"}' },
        { status: 200, body: '<html>gateway</html>' },
        { status: 502, body: 'bad gateway' },
      ],
    };
    const send = () => failure(callWithToken(PLATFORM, cache, call(), new URL('/send', base), '{}'));
    expect(await send()).toMatchObject({ code: 'peer_-1', retryable: true, kind: 'engine' });
    expect(await send()).toMatchObject({ code: 'peer_40003', retryable: false, kind: 'user' });
    expect(await send()).toMatchObject({ code: 'peer_200', retryable: false });
    expect(await send()).toMatchObject({ code: 'peer_502', retryable: true });
  });

  it('gives up when a freshly fetched token is refused too, and says so', async () => {
    answers = {
      '/token': [
        { status: 200, body: '{"access_token":"a","expires_in":7200}' },
        { status: 200, body: '{"access_token":"b","expires_in":7200}' },
      ],
      '/send': [
        { status: 200, body: '{"errcode":42001}' },
        { status: 200, body: '{"errcode":42001}' },
      ],
    };
    const error = await failure(callWithToken(PLATFORM, tokens(), call(), new URL('/send', base), '{}'));
    expect(error).toBeInstanceOf(StepError);
    expect(error).toMatchObject({ code: 'peer_token', retryable: true });
  });
});
