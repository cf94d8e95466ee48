import { createHmac } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { checkOutboundUrl, type OutboundTarget, pinnedLookup, StepError } from '@tend/plugin-sdk';

/** Headers a receiver checks: HMAC-SHA256 of `<timestamp>.<body>` with the shared secret. */
export function signatureHeaders(secret: string, body: string, now: Date): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return { 'x-tend-timestamp': timestamp, 'x-tend-signature': `v1=${signature}` };
}

/** The most of a provider's answer kept: its id, or the start of its complaint. */
const MAX_ANSWER_CHARS = 64 * 1024;

/**
 * POSTs a JSON payload to a provider, signed, with the idempotency key (providers that
 * deduplicate apply it once however often it arrives). The URL is checked first
 * (`checkOutboundUrl`: no loopback, private or link-local address unless TEND_OUTBOUND_ALLOW
 * says so) and the connection goes to the address that was checked. Redirects are not followed:
 * a 3xx would lead to an address nobody checked. Timeouts, lost connections, 429 and 5xx are
 * worth retrying; other answers mean the request itself is wrong and are not retried.
 * Returns the provider's id for the message when it gives one.
 */
export async function postSigned(
  url: string,
  secret: string,
  payload: unknown,
  options: {
    key: string;
    timeoutMs: number;
    signal: AbortSignal;
    now: Date;
    allow: readonly string[];
    what?: string;
  },
): Promise<string | null> {
  const target = await checkOutboundUrl(url, {
    allow: options.allow,
    what: options.what ?? 'the provider URL',
  });
  const body = JSON.stringify(payload);
  const timeout = AbortSignal.timeout(options.timeoutMs);
  let answer: { status: number; text: string };
  try {
    answer = await post(
      target,
      {
        'content-type': 'application/json',
        'idempotency-key': options.key,
        ...signatureHeaders(secret, body, options.now),
      },
      body,
      AbortSignal.any([options.signal, timeout]),
    );
  } catch (error) {
    const timedOut = timeout.aborted;
    throw new StepError(
      timedOut ? 'provider_timeout' : 'provider_unreachable',
      timedOut
        ? `no answer from ${target.url.host} within ${options.timeoutMs} ms`
        : (error as Error).message,
      { retryable: true, cause: error },
    );
  }
  const { status, text } = answer;
  if (status >= 200 && status < 300) {
    try {
      const parsed = JSON.parse(text) as { id?: unknown; messageId?: unknown };
      const id = parsed.id ?? parsed.messageId;
      return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
    } catch {
      return null;
    }
  }
  const retryable = status >= 500 || status === 429 || status === 408;
  throw new StepError(
    retryable ? 'provider_unavailable' : 'provider_rejected',
    `${target.url.host} answered ${status}${text ? `: ${text.slice(0, 200)}` : ''}`,
    { kind: retryable ? 'engine' : 'user', retryable },
  );
}

/** One POST over node:http(s), connecting only to the checked addresses. */
async function post(
  target: OutboundTarget,
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
): Promise<{ status: number; text: string }> {
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  const lookup = pinnedLookup(target);
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = send(
      target.url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        signal,
        ...(lookup ? { lookup } : {}),
      },
      resolve,
    );
    req.on('error', reject);
    req.end(body);
  });
  res.setEncoding('utf8');
  let text = '';
  try {
    for await (const chunk of res) {
      if (text.length < MAX_ANSWER_CHARS) text += chunk as string;
    }
  } catch {
    // The status is what matters; a body cut short is read as far as it came.
  }
  return { status: res.statusCode ?? 0, text };
}
