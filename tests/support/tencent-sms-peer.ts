import { createHash, createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { engineClock } from './engine.ts';

/** One SendSms call as the peer saw it. */
export interface TencentCall {
  body: Record<string, any>;
  headers: Record<string, string>;
  validSignature: boolean;
  /** The code it answered (`Ok` for a sent message). */
  answered: string;
}

/**
 * A local Tencent Cloud SMS (SendSms, API 2021-01-11) that checks requests as the platform
 * documents: the TC3-HMAC-SHA256 signature recomputed from the request as it arrived (its own
 * implementation of "签名方法 v3", not Tend's), the timestamp within 5 minutes of now and its date
 * in the credential scope; and answers with the documented bodies, errors included (HTTP 200
 * with `Response.Error`, or a per-number `SendStatusSet` code). `script` holds codes to answer
 * next (or `hang`).
 */
export interface TencentSmsPeer {
  url: string;
  calls: TencentCall[];
  /** SecretId → SecretKey. */
  keys: Map<string, string>;
  script: string[];
  hangMs: number;
  close(): Promise<void>;
}

/** Per-number codes go in SendStatusSet; the others are request errors (Response.Error). */
const NUMBER_CODES: Record<string, string> = {
  'LimitExceeded.PhoneNumberThirtySecondLimit': '单个手机号30秒内下发短信条数超过设定的上限',
  'LimitExceeded.PhoneNumberDailyLimit': '单个手机号日下发短信条数超过设定的上限',
  'InvalidParameterValue.IncorrectPhoneNumber': '手机号格式错误',
  'FailedOperation.TemplateIncorrectOrUnapproved': '模板未审批或内容不匹配',
};

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: string | Buffer, s: string) => createHmac('sha256', key).update(s, 'utf8').digest();

export async function startTencentSmsPeer(keys: Record<string, string>): Promise<TencentSmsPeer> {
  const peer: TencentSmsPeer = {
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
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', async () => {
      const RequestId = randomUUID();
      const reply = (response: object) => {
        if (res.destroyed) return;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ Response: { ...response, RequestId } }));
      };
      const problem = check(req, raw, peer.keys);
      let body: Record<string, any> = {};
      try {
        body = JSON.parse(raw);
      } catch {}
      const call: TencentCall = {
        body,
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
        validSignature: problem === null,
        answered: problem?.code ?? 'Ok',
      };
      peer.calls.push(call);
      if (problem) return reply({ Error: { Code: problem.code, Message: problem.message } });
      const next = peer.script.shift();
      if (next === 'hang') await new Promise((r) => setTimeout(r, peer.hangMs));
      const phone = String(body.PhoneNumberSet?.[0] ?? '');
      if (next && next !== 'hang') {
        call.answered = next;
        const message = NUMBER_CODES[next];
        if (message === undefined) return reply({ Error: { Code: next, Message: next } });
        return reply({
          SendStatusSet: [
            {
              SerialNo: '',
              PhoneNumber: phone,
              Fee: 0,
              SessionContext: body.SessionContext ?? '',
              Code: next,
              Message: message,
              IsoCode: 'CN',
            },
          ],
        });
      }
      reply({
        SendStatusSet: [
          {
            SerialNo: `5000:${1045710669157053657849499619n + BigInt(peer.calls.length)}`,
            PhoneNumber: phone,
            Fee: 1,
            SessionContext: body.SessionContext ?? '',
            Code: 'Ok',
            Message: 'send success',
            IsoCode: 'CN',
          },
        ],
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
  payload: string,
  keys: Map<string, string>,
): { code: string; message: string } | null {
  const h = req.headers;
  const auth =
    /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d\d-\d\d)\/([a-z]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(
      String(h.authorization ?? ''),
    );
  if (!auth)
    return {
      code: 'AuthFailure.InvalidAuthorization',
      message: 'Authorization is not in the TC3-HMAC-SHA256 format.',
    };
  const [, secretId = '', date = '', service = '', signedList = '', signature = ''] = auth;
  const secretKey = keys.get(secretId);
  if (!secretKey) return { code: 'AuthFailure.SecretIdNotFound', message: 'The SecretId is not found.' };
  if (h['x-tc-action'] !== 'SendSms') return { code: 'InvalidAction', message: 'The action is not found.' };
  if (h['x-tc-version'] !== '2021-01-11')
    return { code: 'NoSuchVersion', message: 'The version does not exist.' };
  const timestamp = Number(h['x-tc-timestamp']);
  if (!Number.isInteger(timestamp) || Math.abs(timestamp * 1000 - engineClock().getTime()) > 5 * 60_000) {
    return { code: 'AuthFailure.SignatureExpire', message: 'Signature expired.' };
  }
  if (new Date(timestamp * 1000).toISOString().slice(0, 10) !== date || service !== 'sms') {
    return {
      code: 'AuthFailure.SignatureFailure',
      message: 'The credential scope does not match the request.',
    };
  }
  const signed = signedList.split(';');
  if (!signed.includes('content-type') || !signed.includes('host')) {
    return { code: 'AuthFailure.SignatureFailure', message: 'content-type and host must be signed.' };
  }
  const canonicalHeaders = signed
    .map(
      (name) =>
        `${name}:${String(h[name] ?? '')
          .trim()
          .toLowerCase()}\n`,
    )
    .join('');
  const url = new URL(req.url ?? '/', 'http://peer');
  const canonical = `${req.method}\n${url.pathname}\n${url.search.slice(1)}\n${canonicalHeaders}\n${signedList}\n${sha256(payload)}`;
  const stringToSign = `TC3-HMAC-SHA256\n${timestamp}\n${date}/${service}/tc3_request\n${sha256(canonical)}`;
  const key = hmac(hmac(hmac(`TC3${secretKey}`, date), service), 'tc3_request');
  if (createHmac('sha256', key).update(stringToSign).digest('hex') !== signature) {
    return {
      code: 'AuthFailure.SignatureFailure',
      message: 'The provided credentials could not be validated. Please check your signature is correct.',
    };
  }
  return null;
}
