import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server in the test process, standing in for a mail provider. It keeps every mail
 * it accepted (a DATA that ended with the final dot) and counts them per Message-ID, the way a
 * mailbox would show duplicates.
 */
export interface SmtpPeer {
  url: string;
  mails: ParsedMail[];
  perMessageId: Map<string, number>;
  /** Slows every transaction down before DATA (so a test can kill a sender mid-send). */
  delayMs: number;
  /**
   * Waits this long after a mail's final dot, with the mail kept, before answering 250: a sender
   * killed meanwhile never hears that its mail arrived.
   */
  acceptDelayMs: number;
  /** Mails kept whose 250 has not been answered yet (in the accept delay). */
  unanswered: number;
  /** Answers the next `n` mails with this SMTP code (4xx: try later, 5xx: never). */
  failNext(n: number, code: number): void;
  close(): Promise<void>;
}

export async function startSmtpPeer(
  options: { delayMs?: number; acceptDelayMs?: number } = {},
): Promise<SmtpPeer> {
  let failures = 0;
  let failCode = 451;
  const peer: SmtpPeer = {
    url: '',
    mails: [],
    perMessageId: new Map(),
    delayMs: options.delayMs ?? 0,
    acceptDelayMs: options.acceptDelayMs ?? 0,
    unanswered: 0,
    failNext(n, code) {
      failures = n;
      failCode = code;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const pause = () => new Promise((r) => setTimeout(r, peer.delayMs));
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onMailFrom: (_address, _session, callback) => {
      void pause().then(() => callback());
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      let broken = false;
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', () => {
        broken = true;
      });
      stream.on('end', async () => {
        if (broken) return callback(new Error('aborted'));
        if (failures > 0) {
          failures -= 1;
          return callback(Object.assign(new Error('try again later'), { responseCode: failCode }));
        }
        const mail = await simpleParser(Buffer.concat(chunks));
        peer.mails.push(mail);
        const id = mail.messageId ?? '';
        peer.perMessageId.set(id, (peer.perMessageId.get(id) ?? 0) + 1);
        if (peer.acceptDelayMs > 0) {
          peer.unanswered += 1;
          await new Promise((r) => setTimeout(r, peer.acceptDelayMs));
          peer.unanswered -= 1;
        }
        callback();
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  peer.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  return peer;
}

/** A header exactly as it was sent (mailparser restructures List-* headers). */
export function rawHeader(mail: ParsedMail | undefined, name: string): string {
  const line = mail?.headerLines.find((h) => h.key === name)?.line ?? '';
  return line.slice(line.indexOf(':') + 1).trim();
}
