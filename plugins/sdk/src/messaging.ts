import type { StepCustomer } from './customer.ts';
import type { MessageChannel } from './services.ts';
import type { JourneyInfo, StepContext } from './step.ts';

/**
 * The service the messaging plugin provides to other plugins (`use<MessagingService>('messaging')`):
 * one message, rendered from a template in the customer's language, sent at most once per key
 * through the shared outbox with consent, quiet hours and frequency caps applied.
 */
export interface MessagingService {
  send(request: SendRequest): Promise<SendOutcome>;
}

/** One message to send: to a customer from a journey, or to staff (reminders). */
export interface SendRequest {
  /** Idempotency key: one message per key, whatever happens. */
  key: string;
  channel: MessageChannel;
  template: string | null;
  /** The customer the message is about (and, for journey messages, to). */
  customer: StepCustomer | null;
  /** Overrides the customer's address (staff email, webhook URL). */
  to?: string | null;
  purpose: 'journey' | 'staff';
  workflowId: string | null;
  runId: string | null;
  limits: JourneyInfo['limits'];
  /** Liquid values besides customer, locale and unsubscribeUrl (run, event, data, links…). */
  scope: Record<string, unknown>;
  /** Signs a webhook with this secret instead of the installation's webhook secret. */
  secret?: string;
  /** Extra JSON for webhooks (`with.data`). */
  data?: Record<string, unknown>;
  now: Date;
  signal: AbortSignal;
  /** True when a failure with this error will not be retried (the message then failed for good). */
  final: (error: unknown) => boolean;
}

export type SendOutcome =
  | { status: 'sent'; channel: MessageChannel; provider: string; messageId: string | null }
  | { status: 'skipped'; channel: MessageChannel; reason: string; detail: string }
  /** Its hand-over's outcome is unknown and the channel holds such messages for a person. */
  | { status: 'held'; channel: MessageChannel; reason: string; detail: string }
  | { status: 'deferred'; until: Date; reason: string };

/** The Liquid values of a journey message: the run, the event that moved it, the step's data. */
export function journeyScope(ctx: Pick<StepContext, 'run' | 'event' | 'journey' | 'now'>, data?: unknown) {
  return {
    run: { id: ctx.run.id, key: ctx.run.key, vars: ctx.run.vars, steps: ctx.run.steps },
    event: ctx.event,
    journey: { id: ctx.journey.id, name: ctx.journey.name },
    data: data ?? {},
    now: ctx.now,
  };
}

/** A step's answer for a send's outcome: a deferral runs the step again when quiet hours end. */
export function sendResult(outcome: SendOutcome, extra: Record<string, unknown> = {}) {
  if (outcome.status === 'deferred') {
    return { status: 'defer' as const, until: outcome.until, reason: outcome.reason };
  }
  return { status: 'done' as const, output: { ...outcome, ...extra } };
}
