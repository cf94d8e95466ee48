import { createHash, createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { engineClock } from './engine.ts';

/** One SendSms call as the peer saw it. */
export interface AliyunCall {
  query: Record<string, string>;
  nonce: string;
  validSignature: boolean;
  /** The `Code` it answered. */
  answered: string;
}

/**
 * A local Alibaba Cloud SMS (dysmsapi SendSms) that checks requests as the platform documents:
 * the ACS3-HMAC-SHA256 signature recomputed from the request as it arrived (its own
 * implementation of "V3 request structure and signature", not Tend's), the body's hash, the
 * date within 15 minutes of now, each nonce used once; and answers with the documented bodies.
 * `script` holds error codes to answer next (or `hang`: no answer for `hangMs`).
 */
export interface AliyunSmsPeer {
  url: string;
  calls: AliyunCall[];
  /** AccessKey id → secret. */
  keys: Map<string, string>;
  script: string[];
  hangMs: number;
  close(): Promise<void>;
}

/** The documented status and message of each error code the peer can answer with. */
const ERRORS: Record<string, [number, string]> = {
  'isv.BUSINESS_LIMIT_CONTROL': [200, '触发分钟级流控Permits:1'],
  'isv.MOBILE_NUMBER_ILLEGAL': [200, '非法手机号'],
  'isv.SMS_TEMPLATE_ILLEGAL': [200, '模板不合法(不存在或被拉黑)'],
  'isv.SMS_SIGNATURE_ILLEGAL': [200, '签名不合法(不存在或被拉黑)'],
  'isp.SYSTEM_ERROR': [200, 'isp.SYSTEM_ERROR'],
  'Throttling.User': [400, 'Request was denied due to user flow control.'],
  ServiceUnavailable: [503, 'The request has failed due to a temporary failure of the server.'],
};

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const encode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export async function startAliyunSmsPeer(keys: Record<string, string>): Promise<AliyunSmsPeer> {
  const nonces = new Set<string>();
  const peer: AliyunSmsPeer = {
    url: '',
    calls: [],
    keys: new Map(Object.entries(keys)),
    script: [],
    hangMs: 3000,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const answer = (res: import('node:http').ServerResponse, status: number, body: object) => {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
    res.end(JSON.stringify(body));
  };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', async () => {
      const requestId = randomUUID().toUpperCase();
      const url = new URL(req.url ?? '/', 'http://peer');
      const query = Object.fromEntries(url.searchParams);
      const problem = check(req, url, body, peer.keys, nonces);
      const call: AliyunCall = {
        query,
        nonce: String(req.headers['x-acs-signature-nonce'] ?? ''),
        validSignature: problem === null,
        answered: problem?.code ?? 'OK',
      };
      peer.calls.push(call);
      if (problem) {
        answer(res, problem.status, {
          RequestId: requestId,
          HostId: 'dysmsapi.aliyuncs.com',
          Code: problem.code,
          Message: problem.message,
          Recommend: `https://api.aliyun.com/troubleshoot?q=${problem.code}&product=Dysmsapi`,
        });
        return;
      }
      const next = peer.script.shift();
      if (next === 'hang') await new Promise((r) => setTimeout(r, peer.hangMs));
      if (next && next !== 'hang') {
        const [status, message] = ERRORS[next] ?? [200, next];
        call.answered = next;
        answer(res, status, { RequestId: requestId, Code: next, Message: message });
        return;
      }
      answer(res, 200, {
        Code: 'OK',
        Message: 'OK',
        BizId: `${900619746936498 + peer.calls.length}^0`,
        RequestId: requestId,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  peer.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return peer;
}

/** Why the platform refuses the request (its documented code), or null. */
function check(
  req: IncomingMessage,
  url: URL,
  body: string,
  keys: Map<string, string>,
  nonces: Set<string>,
): { status: number; code: string; message: string } | null {
  const h = req.headers;
  const auth = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/.exec(
    String(h.authorization ?? ''),
  );
  if (!auth)
    return {
      status: 400,
      code: 'IncompleteSignature',
      message: 'The request signature does not conform to Aliyun standards.',
    };
  const [, keyId = '', signedList = '', signature = ''] = auth;
  const secret = keys.get(keyId);
  if (!secret)
    return {
      status: 404,
      code: 'InvalidAccessKeyId.NotFound',
      message: 'Specified access key is not found.',
    };
  if (h['x-acs-action'] !== 'SendSms' || h['x-acs-version'] !== '2017-05-25') {
    return {
      status: 400,
      code: 'InvalidAction.NotFound',
      message: 'Specified api is not found, please check your url and method.',
    };
  }
  if (h['x-acs-content-sha256'] !== sha256(body)) {
    return {
      status: 400,
      code: 'IncompleteSignature',
      message: 'x-acs-content-sha256 does not match the body.',
    };
  }
  const date = Date.parse(String(h['x-acs-date'] ?? ''));
  if (
    !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(String(h['x-acs-date'])) ||
    Math.abs(date - engineClock().getTime()) > 15 * 60_000
  ) {
    return {
      status: 400,
      code: 'InvalidTimeStamp.Expired',
      message: 'Specified time stamp or date value is expired.',
    };
  }
  const signed = signedList.split(';');
  for (const must of [
    'host',
    'x-acs-action',
    'x-acs-content-sha256',
    'x-acs-date',
    'x-acs-signature-nonce',
    'x-acs-version',
  ]) {
    if (!signed.includes(must))
      return { status: 400, code: 'IncompleteSignature', message: `${must} is not signed.` };
  }
  const canonicalQuery = [...url.searchParams]
    .map(([k, v]) => `${encode(k)}=${encode(v)}`)
    // By code unit: `=` sorts below every character a name may hold, so this orders by name.
    .sort()
    .join('&');
  const canonicalHeaders = [...signed]
    .sort()
    .map((name) => `${name}:${String(h[name] ?? '').trim()}\n`)
    .join('');
  const canonicalRequest = `${req.method}\n${url.pathname}\n${canonicalQuery}\n${canonicalHeaders}\n${[...signed].sort().join(';')}\n${h['x-acs-content-sha256']}`;
  const want = createHmac('sha256', secret)
    .update(`ACS3-HMAC-SHA256\n${sha256(canonicalRequest)}`)
    .digest('hex');
  if (want !== signature) {
    return {
      status: 400,
      code: 'SignatureDoesNotMatch',
      message: `Specified signature does not match our calculation. server string to sign is:${canonicalRequest}`,
    };
  }
  const nonce = String(h['x-acs-signature-nonce']);
  if (nonces.has(nonce))
    return {
      status: 400,
      code: 'SignatureNonceUsed',
      message: 'Specified signature nonce was used already.',
    };
  nonces.add(nonce);
  return null;
}
