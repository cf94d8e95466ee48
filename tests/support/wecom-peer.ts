import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One add_msg_template call as the peer saw it. */
export interface WecomCall {
  token: string;
  body: Record<string, any>;
  /** The errcode it answered (0: the task was created). */
  errcode: number;
}

/**
 * A local WeCom server API as its documentation describes it: `GET /cgi-bin/gettoken` checks the
 * corp id and secret and hands out access tokens (`expires_in` 7200); `POST
 * /cgi-bin/externalcontact/add_msg_template` wants a live token (else errcode 42001, expired, or
 * 40014, invalid), a known external contact (else it is in `fail_list`), and answers with the
 * documented bodies. `script` holds errcodes to answer next; `expireTokens()` makes every token
 * issued so far expire, as WeCom's do.
 */
export interface WecomPeer {
  url: string;
  calls: WecomCall[];
  tokenFetches: number;
  contacts: Set<string>;
  script: number[];
  expireTokens(): void;
  close(): Promise<void>;
}

const MESSAGES: Record<number, string> = {
  [-1]: 'system busy',
  45009: 'api freq out of limit',
  40001: 'invalid credential, access_token is invalid or not latest',
  40096: 'invalid external userid',
  84061: 'not external contact',
  48002: 'api forbidden',
};

export async function startWecomPeer(corpId: string, secret: string, contacts: string[]): Promise<WecomPeer> {
  const live = new Set<string>();
  const expired = new Set<string>();
  const peer: WecomPeer = {
    url: '',
    calls: [],
    tokenFetches: 0,
    contacts: new Set(contacts),
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
        res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'GET' && url.pathname === '/cgi-bin/gettoken') {
        peer.tokenFetches += 1;
        if (url.searchParams.get('corpid') !== corpId)
          return reply({ errcode: 40013, errmsg: 'invalid corpid' });
        if (url.searchParams.get('corpsecret') !== secret) {
          return reply({
            errcode: 40001,
            errmsg: 'invalid credential, access_token is invalid or not latest',
          });
        }
        const token = randomBytes(24).toString('base64url');
        live.add(token);
        return reply({ errcode: 0, errmsg: 'ok', access_token: token, expires_in: 7200 });
      }
      if (req.method === 'POST' && url.pathname === '/cgi-bin/externalcontact/add_msg_template') {
        const token = url.searchParams.get('access_token') ?? '';
        let body: Record<string, any> = {};
        try {
          body = JSON.parse(raw);
        } catch {
          return reply({ errcode: 47001, errmsg: 'data format error' });
        }
        const call: WecomCall = { token, body, errcode: 0 };
        peer.calls.push(call);
        const answer = (errcode: number, extra: object = {}) => {
          call.errcode = errcode;
          reply({ errcode, errmsg: errcode === 0 ? 'ok' : (MESSAGES[errcode] ?? 'error'), ...extra });
        };
        if (!token) return answer(41001);
        if (expired.has(token)) return answer(42001);
        if (!live.has(token)) return answer(40014);
        const next = peer.script.shift();
        if (next !== undefined) return answer(next);
        if (
          body.chat_type !== 'single' ||
          typeof body.text?.content !== 'string' ||
          body.text.content === ''
        ) {
          return answer(41033);
        }
        const ids: string[] = body.external_userid ?? [];
        return answer(0, {
          fail_list: ids.filter((id) => !peer.contacts.has(id)),
          msgid: `msg${randomBytes(12).toString('base64url')}`,
        });
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  peer.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return peer;
}
