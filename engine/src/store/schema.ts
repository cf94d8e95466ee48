import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { PluginTables } from './outbox-table.ts';
import type { PersistedSnapshot } from './run-types.ts';

/** Table shapes, as Kysely sees them. One module per table holds that table's SQL. */
export interface Database extends PluginTables {
  workflows: WorkflowsTable;
  workflow_versions: WorkflowVersionsTable;
  bulk_actions: BulkActionsTable;
  bulk_export_parts: BulkExportPartsTable;
  customers: CustomersTable;
  events: EventsTable;
  event_keys: EventKeysTable;
  event_dispatch: EventDispatchTable;
  runs: RunsTable;
  run_history: RunHistoryTable;
  run_history_entries: RunHistoryEntriesView;
  run_inbox: RunInboxTable;
  step_results: StepResultsTable;
  api_keys: ApiKeysTable;
  plugin_store: PluginStoreTable;
  audit_log: AuditLogTable;
  customer_metrics: CustomerMetricsTable;
  customer_predictions: CustomerPredictionsTable;
  trigger_fires: { workflow_id: string; occurrence: string; customer_id: string };
  trigger_occurrences: {
    workflow_id: string;
    zone: string;
    occurrence: string;
    enrolled: number;
    skipped: ColumnType<boolean, boolean | undefined, boolean>;
    done_at: CreatedAt;
  };
  engine_state: { key: string; value: Json<object>; updated_at: CreatedAt };
  segments: SegmentsTable;
  segment_members: { segment_id: string; customer_id: string; since: Timestamp };
  paused_entries: {
    workflow_id: string;
    customer_id: string;
    event_seq: string;
    key: string | null;
    at: Timestamp;
  };
  workflow_files: WorkflowFilesTable;
  users: UsersTable;
  sessions: SessionsTable;
  editor_layouts: EditorLayoutsTable;
  experiment_assignments: ExperimentAssignmentsTable;
  experiment_decisions: ExperimentDecisionsTable;
}

/** Which arm a run took at an experiment's split, and whether it converted (store/experiments.ts). */
export interface ExperimentAssignmentsTable {
  customer_id: string;
  run_id: string;
  workflow_id: string;
  experiment: string;
  arm: number;
  /** split (as written), holdout (split after a winner), winner (sent down the winner). */
  route: string;
  entered_at: Timestamp;
  converted_at: NullableTimestamp;
  /** Converted, or its window closed without: its numbers no longer change. */
  settled: ColumnType<boolean, boolean | undefined, boolean>;
}

/** An experiment's decision, once made, with the numbers it was made on. */
export interface ExperimentDecisionsTable {
  workflow_id: string;
  experiment: string;
  state: string;
  /** winner, or no-winner (the stopping rule ended it). */
  verdict: string;
  arm: number | null;
  reason: string;
  method: Json<object>;
  numbers: Json<object[]>;
  decided_at: Timestamp;
}

export interface WorkflowFilesTable {
  path: string;
  version: number;
  hash: string;
  /** Null records a deletion. */
  content: string | null;
  created_at: CreatedAt;
  created_by: string | null;
  source: string | null;
  message: string | null;
}

export interface SegmentsTable {
  id: string;
  name: string;
  description: string | null;
  definition: string;
  evaluated_at: NullableTimestamp;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** Set by the engine's clock on insert: no column takes the database's time (migration 10). */
type CreatedAt = ColumnType<Date, Date | string, Date | string>;
type Json<T extends object | null = Record<string, unknown>> = JSONColumnType<T, string, string>;

export interface WorkflowsTable {
  id: string;
  name: string;
  stage: string | null;
  published_version: number | null;
  published_at: NullableTimestamp;
  archived_at: NullableTimestamp;
  paused_at: NullableTimestamp;
  paused_by: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface WorkflowVersionsTable {
  workflow_id: string;
  version: number;
  hash: string;
  yaml: string;
  definition: Json;
  created_at: CreatedAt;
  created_by: string | null;
  source: string | null;
  message: string | null;
}

/** An action on every customer of a filter, done a page at a time (store/bulk-actions.ts). */
export interface BulkActionsTable {
  id: string;
  action: string;
  params: Json;
  filter: Json;
  status: string;
  total: number;
  done: ColumnType<number, number | undefined, number>;
  after: ColumnType<string, string | undefined, string>;
  error: string | null;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  finished_at: NullableTimestamp;
}

/** One page of an export's CSV lines, encrypted. */
export interface BulkExportPartsTable {
  action_id: string;
  part: number;
  body_enc: Buffer;
}

export interface CustomersTable {
  id: string;
  attributes: Json;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  timezone: string | null;
  email_enc: Buffer | null;
  email_hash: Buffer | null;
  phone_enc: Buffer | null;
  phone_hash: Buffer | null;
  name_enc: Buffer | null;
  /** Keyed hashes of the name's fragments (customers/name-grams.ts), for partial-name search. */
  name_grams: number[] | null;
  birthday_enc: Buffer | null;
  birthday_md: number | null;
  locale: string | null;
  owner: string | null;
  consent: ColumnType<Record<string, unknown>, string | undefined, string>;
  stage: string | null;
  stage_since: NullableTimestamp;
  /** {balance, earned, tier}, kept by store/loyalty-ledger.ts. */
  facets: ColumnType<Record<string, Record<string, unknown>>, string | undefined, string>;
  erased_at: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface EventsTable {
  seq: Generated<string>;
  id: string;
  customer_id: string;
  type: string;
  data: Json;
  occurred_at: Timestamp;
  received_at: CreatedAt;
  /** The first day (UTC) of the month it was received in: its partition (store/event-partitions.ts). */
  bucket: string;
}

/** What makes an event id stored once per customer (`events`, partitioned by month, cannot). */
export interface EventKeysTable {
  customer_id: string;
  id: string;
  /** The month its event is stored in (events.bucket), so the keys of a dropped month go with it. */
  bucket: string;
}

export interface EventDispatchTable {
  seq: string;
  customer_id: string;
  /** The event's month (events.bucket), so reading it by seq reads one partition. */
  bucket: string;
}

export interface RunsTable {
  id: string;
  workflow_id: string;
  version: number;
  customer_id: string;
  key: string | null;
  status: string;
  state: string;
  phase: string;
  step: number | null;
  awaiting: string | null;
  outcome: string | null;
  entry: number;
  rev: ColumnType<number, number | undefined, number>;
  driver: string | null;
  attempt: ColumnType<number, number | undefined, number>;
  snapshot: Json<PersistedSnapshot>;
  started_at: Timestamp;
  updated_at: Timestamp;
  ended_at: NullableTimestamp;
}

export interface RunHistoryTable {
  id: Generated<string>;
  run_id: string;
  at: Timestamp;
  type: string;
  state: string | null;
  step: string | null;
  detail: Json | null;
  /** The first day (UTC) of the month it was written in: its partition (store/run-history-partitions.ts). */
  bucket: string;
}

export interface RunHistoryEntriesView {
  run_id: string;
  id: string;
  n: string;
  at: Date;
  type: string;
  state: string | null;
  step: string | null;
  detail: Record<string, unknown> | null;
}

export interface RunInboxTable {
  run_id: string;
  event_seq: string;
  /** The event's month (events.bucket), so reading it by seq reads one partition. */
  event_bucket: string;
}

export interface StepResultsTable {
  key: string;
  run_id: string;
  step: string;
  status: string;
  output: Json | null;
  error: Json | null;
  attempts: number;
  completed_at: CreatedAt;
}

export interface ApiKeysTable {
  id: Generated<string>;
  name: string;
  role: string;
  hash: string;
  prefix: string;
  created_at: CreatedAt;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface PluginStoreTable {
  plugin: string;
  key: string;
  value: Json<object>;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: CreatedAt;
  actor: string;
  action: string;
  entity: string;
  entity_id: string;
  detail: Json | null;
}

export interface CustomerMetricsTable {
  customer_id: string;
  orders: number;
  revenue: string;
  first_order_at: Date | null;
  last_order_at: Date | null;
  orders_30d: number;
  orders_90d: number;
  orders_365d: number;
  revenue_90d: string;
  revenue_365d: string;
  r: number | null;
  f: number | null;
  m: number | null;
  segment: string | null;
  abc: string | null;
  /** When an order next leaves one of the 30/90/365-day windows (NULL: none is in one). */
  windows_change_at: Date | null;
  updated_at: CreatedAt;
}

/** A buyer's predictions from the nightly purchase model (store/customer-predictions.ts). */
export interface CustomerPredictionsTable {
  customer_id: string;
  /** P(still active), BG/NBD. */
  p_alive: number;
  expected_orders_90d: number;
  /** Predicted value of the next year's orders, discounted (numeric: a string when read). */
  predicted_value: string;
  fitted_at: Timestamp;
  model_version: string;
}

export interface UsersTable {
  id: Generated<string>;
  email: string;
  name: string | null;
  role: string;
  password_hash: string;
  created_at: CreatedAt;
  disabled_at: NullableTimestamp;
  /** The team a person works in; its lead (`team_lead`) sees, as staff, what its members own. */
  team: string | null;
  team_lead: Generated<boolean>;
}

export interface SessionsTable {
  /** SHA-256 of the cookie's token: a stolen table row cannot be replayed as a cookie. */
  id: string;
  user_id: string;
  csrf: string;
  created_at: CreatedAt;
  last_seen_at: CreatedAt;
  expires_at: Timestamp;
}

export interface EditorLayoutsTable {
  workflow_id: string;
  positions: Json<Record<string, { x: number; y: number }>>;
  updated_at: CreatedAt;
  updated_by: string | null;
}
