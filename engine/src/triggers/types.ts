/**
 * A trigger as workflow files write it (YAML v1, a contract): exactly one kind's field, plus an
 * optional filter (`where`) and key. Engine code works with the tagged `Trigger` built from it.
 */
export interface TriggerDef {
  event?: string;
  segment?: string;
  stage?: string;
  schedule?: { cron: string; tz?: string };
  date?: { attribute: string; at?: string; offset?: string };
  lunar?: { month: number; day: number; at?: string; leap?: boolean };
  predicted?: PredictedCondition;
  where?: string;
  key?: string;
}

/**
 * `predicted: { churn: "> 0.7" }`: comparisons of the purchase model's predictions
 * (`customer.predicted.*`), all of which must hold.
 */
export interface PredictedCondition {
  churn?: string;
  aliveProbability?: string;
  orders90d?: string;
  value?: string;
}

export const TRIGGER_KINDS = ['event', 'segment', 'stage', 'schedule', 'date', 'lunar', 'predicted'] as const;
export type TriggerKind = (typeof TRIGGER_KINDS)[number];

/** A trigger in the model: one kind, tagged, with the filter and key every kind may have. */
export type Trigger = (
  | { kind: 'event'; event: string }
  | { kind: 'segment'; segment: string }
  | { kind: 'stage'; stage: string }
  | { kind: 'schedule'; schedule: NonNullable<TriggerDef['schedule']> }
  | { kind: 'date'; date: NonNullable<TriggerDef['date']> }
  | { kind: 'lunar'; lunar: NonNullable<TriggerDef['lunar']> }
  | { kind: 'predicted'; predicted: PredictedCondition }
) & { where?: string; key?: string };

export type TriggerOf<K extends TriggerKind> = Extract<Trigger, { kind: K }>;

/** Which customers of a zone an occurrence is for. */
export type Audience =
  | { kind: 'all' }
  /** Customers whose date attribute falls on one of these month*100+day values. */
  | { kind: 'anniversary'; attribute: string; monthDays: number[] };

/** One firing of a time trigger in one time zone: an id (unique per workflow) and who it is for. */
export interface Occurrence {
  id: string;
  audience: Audience;
}

/** An issue a kind finds beyond the schema, at a path inside `trigger:`. */
export interface TriggerIssue {
  path: (string | number)[];
  message: string;
  /** Point at the key (the kind as a whole) rather than its value. */
  at?: 'key';
}

/** What an event must be to start a run of an event-started trigger, and why one was not. */
export interface EventStart<T> {
  by: 'event';
  /** The event type that starts runs (stage and segment triggers start on the engine's events). */
  eventType(trigger: T): string;
  /** Why this event of that type does not start a run (a stage or segment other than the one named), or null. */
  mismatch(trigger: T, data: Record<string, unknown>): string | null;
}

/** When a time-started trigger fires: its occurrences due in a zone. */
export interface TimeStart<T> {
  by: 'time';
  /** A zone the trigger fires in for everyone (a schedule's `tz`), or null: each customer's zone. */
  fixedZone(trigger: T): string | null;
  /** Whether occurrences depend on the last one done (schedules catch up from it). */
  catchesUp: boolean;
  /** The occurrences due in `zone` at `now`, oldest first. */
  due(trigger: T, zone: string, now: Date, notBefore: Date | null, lastDone: Date | null): Occurrence[];
}

/**
 * One kind of trigger (triggers/kinds/): its checks beyond the JSON Schema, its description for
 * people (explain, the CLI), and how it starts runs. Pure: no I/O.
 */
export interface TriggerKindModule<K extends TriggerKind> {
  kind: K;
  /** Comes back again and again (a journey must then say whether customers may re-enter). */
  repeats: boolean;
  check(trigger: TriggerOf<K>): TriggerIssue[];
  describe(trigger: TriggerOf<K>): string;
  starts: EventStart<TriggerOf<K>> | TimeStart<TriggerOf<K>>;
}
