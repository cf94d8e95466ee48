import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One template (or subscribe) message call as the peer saw it. */
export interface WechatCall {
  path: string;
  token: string;
  body: Record<string, any>;
  /** The errcode it answered (0: sent). */
  errcode: number;
}

/**
 * A local WeChat Official Account API as its documentation describes it: `GET /cgi-bin/token`
 * checks the AppID and AppSecret and hands out access tokens (`expires_in` 7200; errors as
 * `errcode`); `POST /cgi-bin/message/template/send` wants a live token (else 42001, expired, or
 * 40001, invalid), and so does `POST /cgi-bin/message/subscribe/bizsend` (subscribe messages,
 * the same body): a follower (else 43004, require subscribe), a known template_id (else 40037)
 * and `data` fields as `{ value }`, and answers `{ errcode: 0, errmsg: "ok", msgid }`. `script`
 * holds errcodes to answer next; `expireTokens()` expires every token issued so far.
 */
export interface WechatPeer {
  url: string;
  calls: WechatCall[];
  tokenFetches: number;
  followers: Set<string>;
  templates: Set<string>;
  script: number[];
  expireTokens(): void;
  close(): Promise<void>;
}

const MESSAGES: Record<number, string> = {
  [-1]: 'system error',
  40001: 'invalid credential, access_token is invalid or not latest',
  40037: 'invalid template_id',
  42001: 'access_token expired',
  43004: 'require subscribe',
  45009: 'reach max api daily quota limit',
  47003: 'argument invalid!',
};

export async function startWechatPeer(
  appId: string,
  secret: string,
  followers: string[],
  templates: string[],
): Promise<WechatPeer> {
  const live = new Set<string>();
  const expired = new Set<string>();
  const peer: WechatPeer = {
    url: '',
    calls: [],
    tokenFetches: 0,
    followers: new Set(followers),
    templates: new Set(templates),
    script: [],
    expireTokens() {
      for (const t of live) expired.add(t);
      live.clear();
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://peer');
      const reply = (body: object) => {
        res.writeHead(200, { 'content-type': 'application/json; encoding=utf-8' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'GET' && url.pathname === '/cgi-bin/token') {
        peer.tokenFetches += 1;
        const q = url.searchParams;
        if (q.get('grant_type') !== 'client_credential')
          return reply({ errcode: 40002, errmsg: 'invalid grant_type' });
        if (q.get('appid') !== appId) return reply({ errcode: 40013, errmsg: 'invalid appid' });
        if (q.get('secret') !== secret) return reply({ errcode: 40125, errmsg: 'invalid appsecret' });
        const token = randomBytes(32).toString('base64url');
        live.add(token);
        return reply({ access_token: token, expires_in: 7200 });
      }
      if (
        req.method === 'POST' &&
        ['/cgi-bin/message/template/send', '/cgi-bin/message/subscribe/bizsend'].includes(url.pathname)
      ) {
        const token = url.searchParams.get('access_token') ?? '';
        let body: Record<string, any> = {};
        try {
          body = JSON.parse(raw);
        } catch {
          return reply({ errcode: 47001, errmsg: 'data format error' });
        }
        const call: WechatCall = { path: url.pathname, token, body, errcode: 0 };
        peer.calls.push(call);
        const answer = (errcode: number, extra: object = {}) => {
          call.errcode = errcode;
          reply({ errcode, errmsg: errcode === 0 ? 'ok' : (MESSAGES[errcode] ?? 'error'), ...extra });
        };
        if (expired.has(token)) return answer(42001);
        if (!live.has(token)) return answer(40001);
        const next = peer.script.shift();
        if (next !== undefined) return answer(next);
        if (!peer.followers.has(body.touser)) return answer(43004);
        if (!peer.templates.has(body.template_id)) return answer(40037);
        const fields = Object.values(body.data ?? {}) as { value?: unknown }[];
        if (fields.length === 0 || fields.some((f) => typeof f?.value !== 'string')) return answer(47003);
        return answer(0, { msgid: 200228332 + peer.calls.length });
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  peer.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return peer;
}
