/**
 * What the engine offers a plugin (DESIGN §5): a small, stable surface over Tend's storage, so
 * plugins never reach into the engine. Every write is keyed by the caller's idempotency key
 * where repeating it would double an effect.
 */
import type { StepCustomer } from './customer.ts';
import type { PlatformTemplate } from './messaging-provider.ts';

export type MessageChannel = 'email' | 'sms' | 'webhook' | (string & {});

/** The installation, as every plugin sees it. */
export interface HostInfo {
  /** Base URL of links customers follow (survey pages, unsubscribe), without a trailing slash. */
  publicUrl(): string;
  /** The workflows folder: templates/ and surveys/ live inside it. */
  workflowsDir: string;
  defaultTimezone: string;
  /** Locale of messages and pages for customers without one (or without a matching variant). */
  defaultLocale: string;
  /**
   * TEND_OUTBOUND_ALLOW: hosts, addresses and CIDR networks that HTTP sends may reach although
   * they are loopback, private or link-local. Pass it to `checkOutboundUrl` before every send.
   */
  outboundAllow: readonly string[];
  /** The services installed plugins provide (`provides`), by name: what `use` can find. */
  services: readonly string[];
}

/**
 * How a message ended up; `pending` while it is being sent, `deferred` during quiet hours,
 * `sending` while it is being handed to the provider, `uncertain` when that hand-over's outcome
 * is unknown (its process died, or the provider never answered) and the channel's policy is to
 * hold such messages for a person (release or drop).
 */
export type OutboxStatus = 'pending' | 'deferred' | 'sending' | 'sent' | 'skipped' | 'failed' | 'uncertain';

/**
 * What to do with a send whose outcome is unknown: `resend` (at least once: it goes again with
 * the same key and Message-ID, so receivers can drop the copy) or `hold` (at most once: it waits
 * as `uncertain` for a person).
 */
export type UncertainPolicy = 'resend' | 'hold';

/** A message as stored, decrypted, for sending it again when a person releases it. */
export interface StoredMessage extends OutboxMessage {
  status: OutboxStatus;
}

/** A message as it is recorded in the outbox (personal parts are encrypted by the engine). */
export interface OutboxMessage {
  /** The step's idempotency key (or another unique key, e.g. `task-reminder:<id>`). */
  key: string;
  customerId: string | null;
  channel: MessageChannel;
  template: string | null;
  locale: string | null;
  /** `journey` messages go to customers and count toward frequency caps; `staff` ones do not. */
  purpose: 'journey' | 'staff';
  workflowId: string | null;
  runId: string | null;
  to: string | null;
  content: {
    subject?: string;
    text?: string;
    html?: string;
    payload?: unknown;
    /** An SMS platform's template, code and parameters, as it was sent. */
    platform?: PlatformTemplate;
  } | null;
  /** The engine's now (virtual in tests): the time the message is recorded at. */
  at: Date;
}

export interface OutboxRecord {
  key: string;
  status: OutboxStatus;
  reason: string | null;
  detail: string | null;
  provider: string | null;
  providerId: string | null;
  attempts: number;
  sentAt: Date | null;
}

/** A provider's sending limit as the outbox counts it (`MessagingProvider.limits`). */
export interface ChannelCap {
  max: number;
  since: Date;
  /** Counts only messages of this template ("the same content"); null: every message of the channel. */
  template: string | null;
  /** Names the limit in the skip's detail, e.g. `aliyun: 50 per 1d of one template`. */
  label: string;
}

export type OutboxClaim =
  | { kind: 'claimed'; record: OutboxRecord }
  | { kind: 'settled'; record: OutboxRecord }
  | { kind: 'capped'; record: OutboxRecord };

/** The outbox every channel shares: one record per message, frequency caps across channels. */
export interface OutboxService {
  get(key: string): Promise<OutboxRecord | null>;
  /** Records a message that does not go out, with why; a key recorded before keeps its record. */
  skip(message: OutboxMessage, reason: string, detail: string): Promise<OutboxRecord>;
  /** Records that a message waits (quiet hours) until `until`. */
  defer(message: OutboxMessage, until: Date, detail: string): Promise<void>;
  /**
   * Claims the key for sending. Serialised per customer, it first counts the customer's journey
   * messages sent or being sent since `cap.since`: at `cap.max` the message is recorded as
   * skipped (`capped`). A key already sent, skipped or failed comes back `settled`.
   * `channelCaps` (a provider's own sending limits) count only the customer's journey messages
   * of the message's channel (and template, when given): at one's `max`, the message is skipped
   * with reason `provider_limit`.
   */
  claim(
    message: OutboxMessage,
    cap: { max: number; since: Date } | null,
    channelCaps?: ChannelCap[],
  ): Promise<OutboxClaim>;
  /**
   * Delivers a claimed message: `sending` is committed before `send` runs, and `sent` with the
   * provider's id after it, while the row stays locked (a second attempt waits for the first's
   * outcome). An attempt that finds the message still `sending` knows a process died while
   * handing it over: with `uncertain: 'resend'` (the default) it sends again, with `'hold'` it
   * records `uncertain` and sends nothing. If `send` throws, the attempt and error are recorded
   * (`failed` when `final(error)`: no retry will follow; `uncertain` under `hold` when
   * `unknownOutcome(error)`, say a timeout after the message was written) and the error rethrown.
   */
  deliverOnce(
    key: string,
    send: () => Promise<{ provider: string; providerId: string | null }>,
    options: {
      final: (error: unknown) => boolean;
      at: Date;
      uncertain?: UncertainPolicy;
      unknownOutcome?: (error: unknown) => boolean;
    },
  ): Promise<OutboxRecord>;
  /** A message as stored, decrypted (null when there is none). */
  stored(key: string): Promise<StoredMessage | null>;
  /**
   * A person's decision on an `uncertain` message: `release` makes it `pending` again (the caller
   * then delivers it), `drop` makes it `failed` (reason `dropped`). Null unless it was uncertain.
   */
  decide(key: string, decision: 'release' | 'drop', by: string): Promise<OutboxRecord | null>;
  /**
   * Adds a provider's feedback (delivered, opened, bounced…) to the sent message it names, by
   * the provider's id or by our key. A message to a person since erased takes none (a late
   * bounce would bring their address back): null, as for an unknown message.
   */
  feedback(
    id: string,
    entry: { type: string; at: string; detail?: unknown },
  ): Promise<{
    key: string;
    customerId: string | null;
    workflowId: string | null;
    channel: string;
    template: string | null;
    providerId: string | null;
  } | null>;
}

export interface CustomerService {
  get(id: string): Promise<StepCustomer | null>;
  /** Adds and removes tags in one change; returns what actually changed. */
  tag(
    id: string,
    add: string[],
    remove: string[],
  ): Promise<{ tags: string[]; added: string[]; removed: string[] }>;
  /** Merges values into the customer's attributes. */
  setAttributes(id: string, values: Record<string, unknown>): Promise<void>;
  setConsent(id: string, channel: string, status: 'granted' | 'withdrawn', source: string): Promise<void>;
  /**
   * Stores this plugin's facet of the customer (its `facet` in the definition): journeys read it
   * as `customer.<facet>`. Keep it small; it travels with the customer through every transition.
   */
  setFacet(id: string, value: Record<string, unknown> | null): Promise<void>;
}

/** The people who use Tend (staff, managers), as customers and messages may name them. */
export interface PeopleService {
  /**
   * Display names by reference (a user id or an email, as a customer's `owner` holds them); a
   * reference without a named person is missing from the map, so callers never show an email as
   * a name.
   */
  names(refs: string[]): Promise<Map<string, string>>;
}

export interface CustomerEvent {
  /** Makes the event idempotent: derive it from the idempotency key. */
  id: string;
  customerId: string;
  type: string;
  data: Record<string, unknown>;
}

export interface EventService {
  /** Appends events to customers' timelines and offers them to their runs (and triggers). */
  emit(events: CustomerEvent[]): Promise<void>;
}

export interface LinkService {
  /** A signed, URL-safe token carrying `payload`; it stops verifying after `expiresAt`. */
  sign(payload: Record<string, unknown>, expiresAt: Date | null): string;
  verify(token: string, now: Date): Record<string, unknown> | null;
}

/**
 * Personal data at rest: what a plugin stores about a person (a task's title, a complaint's
 * text) it stores encrypted with the installation's keys; `tend keys rotate` re-encrypts the
 * columns the plugin lists in `privacy.encrypted`.
 */
export interface CryptoService {
  encrypt(text: string): Buffer;
  decrypt(sealed: Buffer): string;
}

export interface Logger {
  debug(message: string, detail?: Record<string, unknown>): void;
  info(message: string, detail?: Record<string, unknown>): void;
  warn(message: string, detail?: Record<string, unknown>): void;
  error(message: string, detail?: Record<string, unknown>): void;
}
