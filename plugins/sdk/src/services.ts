/**
 * What the engine offers steps beyond their own config (StepContext.services): a small, stable
 * surface over Tend's storage, so plugins never reach into the engine. Every write is keyed by
 * the caller's idempotency key where repeating it would double an effect.
 */
import type { StepCustomer } from './manifest.ts';

export type MessageChannel = 'email' | 'sms' | 'webhook';

/** An HTTP provider Tend posts to (JSON, HMAC-SHA256 signed with `secret`). */
export interface HttpProviderSettings {
  url: string;
  secret: string;
}

/** Installation settings plugins need (read from the environment by the engine, validated). */
export interface HostSettings {
  /** Base URL of links customers follow (survey pages, unsubscribe), without a trailing slash. */
  publicUrl(): string;
  /** The workflows folder: templates/ and surveys/ live inside it. */
  workflowsDir: string;
  defaultTimezone: string;
  /** Locale of messages and pages for customers without one (or without a matching variant). */
  defaultLocale: string;
  /** `smtpUrl` null: mail goes to the dev mailbox (the outbox, readable through the API). */
  email: { smtpUrl: string | null; from: string };
  /** null: SMS go to the dev mailbox. */
  sms: HttpProviderSettings | null;
  /** Default webhook target; a step may name its own URL (signed with the same secret). */
  webhook: { url: string | null; secret: string | null };
  /** Where overdue-task reminders are posted; null: reminders are emailed to the assignee. */
  taskReminders: HttpProviderSettings | null;
  providerTimeoutMs: number;
  /**
   * TEND_OUTBOUND_ALLOW: hosts, addresses and CIDR networks that HTTP sends may reach although
   * they are loopback, private or link-local. Pass it to `checkOutboundUrl` before every send.
   */
  outboundAllow: readonly string[];
  loyaltyTiers: { name: string; min: number }[];
}

/** How a message ended up; `pending` while it is being sent, `deferred` during quiet hours. */
export type OutboxStatus = 'pending' | 'deferred' | 'sent' | 'skipped' | 'failed';

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
  content: { subject?: string; text?: string; html?: string; payload?: unknown } | null;
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

export type OutboxClaim =
  | { kind: 'claimed'; record: OutboxRecord }
  | { kind: 'settled'; record: OutboxRecord }
  | { kind: 'capped'; record: OutboxRecord };

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
   */
  claim(message: OutboxMessage, cap: { max: number; since: Date } | null): Promise<OutboxClaim>;
  /**
   * Delivers a claimed message at most once: the outbox row stays locked while `send` runs, and
   * `sent` is committed with the provider's id in the same transaction. A retry after a crash
   * finds the row either sent (and does not call `send`) or still claimed (and sends). If `send`
   * throws, the attempt and error are recorded (`failed` when `final(error)`: no retry will
   * follow) and the error rethrown.
   */
  deliverOnce(
    key: string,
    send: () => Promise<{ provider: string; providerId: string | null }>,
    options: { final: (error: unknown) => boolean; at: Date },
  ): Promise<OutboxRecord>;
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

export interface SurveyLink {
  id: string;
  key: string;
  survey: string;
  customerId: string;
  workflowId: string | null;
  runId: string | null;
  channel: string;
  locale: string | null;
  segment: string | null;
  stage: string | null;
  expiresAt: Date;
}

export interface SurveyService {
  /** Creates the link for a step occurrence (the same key returns the same link). */
  createLink(link: Omit<SurveyLink, 'id'>, at: Date): Promise<SurveyLink>;
}

export interface NewTask {
  key: string;
  customerId: string;
  assignee: string;
  title: string;
  note: string | null;
  dueAt: Date;
  workflowId: string | null;
  runId: string | null;
}

export interface Task extends NewTask {
  id: string;
  status: 'open' | 'done';
  createdAt: Date;
  completedAt: Date | null;
}

export interface TaskService {
  /** Creates a task once per key; returns it and whether it is new. */
  create(task: NewTask, at: Date): Promise<{ task: Task; created: boolean }>;
  /** Open tasks past due that were not reminded yet, marked reminded as they are handed out. */
  claimOverdue(now: Date, limit: number): Promise<Task[]>;
}

export interface LoyaltyEntry {
  key: string;
  customerId: string;
  /** Positive to award, negative to redeem. */
  points: number;
  reason: string;
  workflowId: string | null;
  runId: string | null;
}

export interface LoyaltyAccount {
  balance: number;
  /** Points ever awarded (what tiers are based on: redeeming does not lower a tier). */
  earned: number;
  tier: string;
}

export interface LoyaltyService {
  /**
   * Applies an entry once per key. A redemption larger than the balance is declined and changes
   * nothing (the balance never goes negative); it is still recorded, so a retry answers the same.
   */
  apply(
    entry: LoyaltyEntry,
    at: Date,
  ): Promise<{ status: 'applied' | 'declined'; repeated: boolean; account: LoyaltyAccount }>;
  account(customerId: string): Promise<LoyaltyAccount>;
}

/** Everything a step (or a plugin's background job) may ask of the engine. */
export interface StepServices {
  settings: HostSettings;
  customers: CustomerService;
  events: EventService;
  links: LinkService;
  outbox: OutboxService;
  surveys: SurveyService;
  tasks: TaskService;
  loyalty: LoyaltyService;
}
