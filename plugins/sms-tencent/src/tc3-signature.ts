import { createHash, createHmac } from 'node:crypto';

/**
 * Tencent Cloud API signature v3, TC3-HMAC-SHA256 ("签名方法 v3",
 * cloud.tencent.com/document/api/382/52072): a canonical request of the method, `/`, the query,
 * the signed headers and the payload's SHA-256; a string to sign with the timestamp and the
 * credential scope `<UTC date>/<service>/tc3_request`; keys derived from `TC3<SecretKey>` by the
 * date, the service and `tc3_request`.
 */
export const TC3 = 'TC3-HMAC-SHA256';

export interface Tc3Request {
  service: string;
  host: string;
  action: string;
  payload: string;
  /** Seconds since the epoch (X-TC-Timestamp). */
  timestamp: number;
  secretId: string;
  secretKey: string;
  contentType?: string;
}

export const sha256Hex = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer =>
  createHmac('sha256', key).update(data, 'utf8').digest();

export function tc3Sign(request: Tc3Request): {
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
  authorization: string;
} {
  const contentType = request.contentType ?? 'application/json; charset=utf-8';
  const signedHeaders = 'content-type;host;x-tc-action';
  const canonicalRequest = [
    'POST',
    '/',
    '',
    // Names and values in lower case, each line ended by a newline.
    `content-type:${contentType.toLowerCase()}\nhost:${request.host.toLowerCase()}\nx-tc-action:${request.action.toLowerCase()}\n`,
    signedHeaders,
    sha256Hex(request.payload),
  ].join('\n');
  const date = new Date(request.timestamp * 1000).toISOString().slice(0, 10);
  const scope = `${date}/${request.service}/tc3_request`;
  const stringToSign = `${TC3}\n${request.timestamp}\n${scope}\n${sha256Hex(canonicalRequest)}`;
  const secretDate = hmac(`TC3${request.secretKey}`, date);
  const secretService = hmac(secretDate, request.service);
  const secretSigning = hmac(secretService, 'tc3_request');
  const signature = createHmac('sha256', secretSigning).update(stringToSign, 'utf8').digest('hex');
  return {
    canonicalRequest,
    stringToSign,
    signature,
    authorization: `${TC3} Credential=${request.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}
