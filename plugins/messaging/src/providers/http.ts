import { createHmac } from 'node:crypto';
import { StepError } from '@tend/plugin-sdk';

/** Headers a receiver checks: HMAC-SHA256 of `<timestamp>.<body>` with the shared secret. */
export function signatureHeaders(secret: string, body: string, now: Date): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return { 'x-tend-timestamp': timestamp, 'x-tend-signature': `v1=${signature}` };
}

/**
 * POSTs a JSON payload to a provider, signed, with the idempotency key (providers that
 * deduplicate apply it once however often it arrives). Timeouts, lost connections, 429 and 5xx
 * are worth retrying; other 4xx answers mean the request itself is wrong and are not retried.
 * Returns the provider's id for the message when it gives one.
 */
export async function postSigned(
  url: string,
  secret: string,
  payload: unknown,
  options: { key: string; timeoutMs: number; signal: AbortSignal; now: Date },
): Promise<string | null> {
  const body = JSON.stringify(payload);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': options.key,
        ...signatureHeaders(secret, body, options.now),
      },
      body,
      signal: AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]),
    });
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    throw new StepError(
      timedOut ? 'provider_timeout' : 'provider_unreachable',
      timedOut
        ? `no answer from ${new URL(url).host} within ${options.timeoutMs} ms`
        : (error as Error).message,
      { retryable: true, cause: error },
    );
  }
  const text = await res.text().catch(() => '');
  if (res.ok) {
    try {
      const answer = JSON.parse(text) as { id?: unknown; messageId?: unknown };
      const id = answer.id ?? answer.messageId;
      return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
    } catch {
      return null;
    }
  }
  const retryable = res.status >= 500 || res.status === 429 || res.status === 408;
  throw new StepError(
    retryable ? 'provider_unavailable' : 'provider_rejected',
    `${new URL(url).host} answered ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`,
    { kind: retryable ? 'engine' : 'user', retryable },
  );
}
