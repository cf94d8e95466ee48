import { createHash } from 'node:crypto';

/**
 * The SMTP Message-ID of a message, derived from its idempotency key: every attempt of one
 * occurrence carries the same id, so a receiver (or a test peer) can tell repeats apart.
 */
export function messageIdOf(key: string, from: string): string {
  const domain = /@([^>\s]+)/.exec(from)?.[1] ?? 'tend.localhost';
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 32);
  return `<${hash}@${domain}>`;
}
