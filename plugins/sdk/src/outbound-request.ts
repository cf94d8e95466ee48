import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { checkOutboundUrl, pinnedLookup } from './outbound-url.ts';
import { StepError } from './step-error.ts';

/** The most of an answer kept: a platform's id, or the start of its complaint. */
const MAX_ANSWER_CHARS = 64 * 1024;

export interface OutboundAnswer {
  status: number;
  text: string;
}

/**
 * One request to a provider (a POST unless `method` says GET): the URL checked first (`checkOutboundUrl`), the connection made to the
 * checked address, no redirect followed (a 3xx would lead where nobody checked). No answer within
 * `timeoutMs` is a retryable StepError `provider_timeout` (its outcome is unknown), a connection
 * that fails is `provider_unreachable`. Any answer comes back as it is: the caller reads the
 * platform's error codes.
 */
export async function requestOutbound(
  url: string,
  options: {
    method?: 'GET' | 'POST';
    headers: Record<string, string>;
    body: string;
    timeoutMs: number;
    signal: AbortSignal;
    allow: readonly string[];
    what: string;
  },
): Promise<OutboundAnswer> {
  const target = await checkOutboundUrl(url, { allow: options.allow, what: options.what });
  const timeout = AbortSignal.timeout(options.timeoutMs);
  try {
    const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const lookup = pinnedLookup(target);
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = send(
        target.url,
        {
          method: options.method ?? 'POST',
          headers: { ...options.headers, 'content-length': String(Buffer.byteLength(options.body)) },
          signal: AbortSignal.any([options.signal, timeout]),
          ...(lookup ? { lookup } : {}),
        },
        resolve,
      );
      req.on('error', reject);
      req.end(options.body);
    });
    res.setEncoding('utf8');
    let text = '';
    for await (const chunk of res) {
      if (text.length < MAX_ANSWER_CHARS) text += chunk as string;
    }
    return { status: res.statusCode ?? 0, text };
  } catch (error) {
    const timedOut = timeout.aborted;
    throw new StepError(
      timedOut ? 'provider_timeout' : 'provider_unreachable',
      timedOut
        ? `no answer from ${target.url.host} within ${options.timeoutMs} ms`
        : `${options.what}: ${(error as Error).message}`,
      { retryable: true, cause: error },
    );
  }
}
