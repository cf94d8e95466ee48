import { createHash, createHmac } from 'node:crypto';

/**
 * Alibaba Cloud's V3 request signature, ACS3-HMAC-SHA256 ("V3 request structure and signature",
 * help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature): a canonical
 * request of the method, path, sorted query, sorted signed headers and the body's SHA-256;
 * signed with HMAC-SHA256 under the AccessKey secret, its hex the signature.
 */
export const ACS3 = 'ACS3-HMAC-SHA256';

export interface Acs3Request {
  method: string;
  /** The resource path, `/` for RPC-style APIs such as SendSms. */
  path: string;
  query: Record<string, string>;
  /** Every header to sign: `host`, `x-acs-*` (with `x-acs-content-sha256`), `content-type`. */
  headers: Record<string, string>;
  accessKeyId: string;
  accessKeySecret: string;
}

export const sha256Hex = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');

/** RFC 3986 percent-encoding of UTF-8 (`~` kept; space as %20, `*` as %2A). */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The query in canonical form: names and values encoded, sorted by name, `&`-joined. */
export function canonicalQuery(query: Record<string, string>): string {
  return Object.keys(query)
    .map((name) => [percentEncode(name), percentEncode(query[name] ?? '')] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

export function acs3Sign(request: Acs3Request): {
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
  authorization: string;
} {
  const headers = Object.entries(request.headers)
    .map(([name, value]) => [name.toLowerCase(), value.trim()] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const signedHeaders = headers.map(([name]) => name).join(';');
  const payloadHash = request.headers['x-acs-content-sha256'] ?? sha256Hex('');
  const canonicalRequest = [
    request.method.toUpperCase(),
    request.path,
    canonicalQuery(request.query),
    headers.map(([name, value]) => `${name}:${value}\n`).join(''),
    signedHeaders,
    payloadHash,
  ].join('\n');
  const stringToSign = `${ACS3}\n${sha256Hex(canonicalRequest)}`;
  const signature = createHmac('sha256', request.accessKeySecret).update(stringToSign, 'utf8').digest('hex');
  return {
    canonicalRequest,
    stringToSign,
    signature,
    authorization: `${ACS3} Credential=${request.accessKeyId},SignedHeaders=${signedHeaders},Signature=${signature}`,
  };
}
