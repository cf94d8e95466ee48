import type { StepContext, StepDefinition } from '@tend/plugin-sdk';
import { type SendOutcome, sendMessage } from './deliver.ts';
import { blockedBy, recipientOf } from './policy.ts';

export interface SendConfig {
  channel: 'email' | 'sms' | 'webhook';
  template?: string;
  url?: string;
  data?: Record<string, unknown>;
}

const RETRY = { attempts: 6, backoffSeconds: 2, timeoutSeconds: 60 };

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

/** The step's answer for an outcome: a deferral re-runs the step when quiet hours end. */
export function asResult(outcome: SendOutcome, extra: Record<string, unknown> = {}) {
  if (outcome.status === 'deferred') {
    return { status: 'defer' as const, until: outcome.until, reason: outcome.reason };
  }
  return { status: 'done' as const, output: { ...outcome, ...extra } };
}

export const sendStep: StepDefinition<SendConfig> = {
  name: 'send',
  title: 'Send a message',
  description:
    'Sends an email, SMS or webhook from a template, in the customer’s language. Skipped (and recorded with the reason) without consent, over the frequency cap or without an address; waits until quiet hours end.',
  awaits: [],
  configSchema: {
    type: 'object',
    properties: {
      channel: {
        type: 'string',
        title: 'Channel',
        enum: ['email', 'sms', 'webhook'],
        description: 'Email goes through SMTP (or the dev mailbox); SMS and webhooks through HTTP providers.',
      },
      template: {
        type: 'string',
        title: 'Template',
        description:
          'A file in workflows/templates/<channel>/, without locale and extension, e.g. "welcome".',
        pattern: '^[a-z0-9][a-z0-9-]*$',
      },
      url: {
        type: 'string',
        title: 'Webhook URL',
        description: 'Webhooks only: where to POST (default: TEND_WEBHOOK_URL).',
        pattern: '^https?://',
      },
      data: {
        type: 'object',
        title: 'Extra values',
        description: 'Values the template sees as data.<name> (webhooks also receive them as JSON).',
      },
    },
    required: ['channel'],
    additionalProperties: false,
    if: { properties: { channel: { enum: ['email', 'sms'] } } },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then (email and SMS need a template)
    then: { required: ['channel', 'template'] },
  },
  outputSchema: {
    type: 'object',
    properties: {
      status: { enum: ['sent', 'skipped'] },
      channel: { type: 'string' },
      reason: { type: 'string' },
      messageId: { type: ['string', 'null'] },
    },
    required: ['status'],
  },
  retry: RETRY,
  run: async (ctx) =>
    asResult(
      await sendMessage(ctx.services, {
        key: ctx.idempotencyKey,
        channel: ctx.config.channel,
        template: ctx.config.template ?? null,
        customer: ctx.customer,
        to: ctx.config.url ?? null,
        purpose: 'journey',
        workflowId: ctx.run.workflowId,
        runId: ctx.run.id,
        limits: ctx.journey.limits,
        scope: journeyScope(ctx, ctx.config.data),
        ...(ctx.config.data ? { data: ctx.config.data } : {}),
        now: ctx.now,
        signal: ctx.signal,
        final: (error) => !(error as { retryable?: boolean }).retryable || ctx.attempt >= RETRY.attempts,
      }),
    ),
  preview: (ctx) => {
    const { channel, template, url } = ctx.config;
    const to =
      url ??
      (channel === 'webhook' ? 'the webhook' : recipientOf({ channel, customer: ctx.customer }, PREVIEW));
    const what = `${channel}${template ? ` "${template}"` : ''}`;
    const blocked = blockedBy({ channel, customer: ctx.customer }, to);
    if (blocked) {
      return {
        summary: `skip ${what}: ${blocked.detail}`,
        output: { status: 'skipped', channel, reason: blocked.reason },
      };
    }
    return {
      summary: `send ${what} to ${mask(to ?? '')}`,
      output: { status: 'sent', channel, messageId: null },
    };
  },
};

// Previews only need to know where a message would go; they never reach a provider.
const PREVIEW = { webhook: { url: null, secret: null } } as Parameters<typeof recipientOf>[1];

/** a***@example.com, +86******8000: enough to recognise, not to copy. */
function mask(address: string): string {
  const at = address.indexOf('@');
  if (at > 0) return `${address[0]}***${address.slice(at)}`;
  return address.length > 6 ? `${address.slice(0, 3)}******${address.slice(-4)}` : address;
}
