import { StepError } from '@tend/plugin-sdk';
import type { Transporter } from 'nodemailer';

export interface Mail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  unsubscribeUrl: string | null;
}

const transports = new Map<string, Transporter>();

/**
 * One pooled SMTP transport per URL: connections are reused across messages. nodemailer is
 * loaded with the first one: an engine that sends no email never needs it (29 MiB alone).
 */
async function transportFor(url: string, timeoutMs: number): Promise<Transporter> {
  let transport = transports.get(url);
  if (!transport) {
    const { createTransport } = await import('nodemailer');
    transport =
      transports.get(url) ??
      createTransport({
        url,
        pool: true,
        maxConnections: 8,
        maxMessages: Number.POSITIVE_INFINITY,
        connectionTimeout: timeoutMs,
        greetingTimeout: timeoutMs,
        socketTimeout: timeoutMs,
      });
    transports.set(url, transport);
  }
  return transport;
}

/**
 * Sends one mail. SMTP answers 4xx for "try later" and 5xx for "never": the first (and lost
 * connections) are retried, the second are not.
 */
export async function sendMail(smtpUrl: string, timeoutMs: number, mail: Mail): Promise<string> {
  const headers: Record<string, string> = {};
  if (mail.unsubscribeUrl) {
    headers['List-Unsubscribe'] = `<${mail.unsubscribeUrl}>`;
    // RFC 8058: mailbox providers POST this body to the URL for a one-click unsubscribe.
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  try {
    const info = await (await transportFor(smtpUrl, timeoutMs)).sendMail({
      from: mail.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: mail.messageId,
      headers,
    });
    return String(info.messageId ?? mail.messageId);
  } catch (error) {
    const e = error as { responseCode?: number; code?: string; message: string };
    const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500;
    throw new StepError(
      permanent ? 'smtp_rejected' : 'smtp_unavailable',
      `SMTP ${e.responseCode ?? e.code ?? ''}: ${e.message}`.trim(),
      { kind: permanent ? 'user' : 'engine', retryable: !permanent, cause: error },
    );
  }
}
