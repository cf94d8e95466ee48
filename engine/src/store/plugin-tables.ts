import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/** The shipped plugins' tables (migration 2026-11-23-03), as Kysely sees them. */
export interface PluginTables {
  outbox: OutboxTable;
  survey_links: SurveyLinksTable;
  survey_answers: SurveyAnswersTable;
  tasks: TasksTable;
  loyalty_ledger: LoyaltyLedgerTable;
}

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface OutboxTable {
  key: string;
  customer_id: string | null;
  workflow_id: string | null;
  run_id: string | null;
  channel: string;
  template: string | null;
  locale: string | null;
  purpose: string;
  status: string;
  reason: string | null;
  detail: string | null;
  provider: string | null;
  provider_id: string | null;
  to_enc: Buffer | null;
  content_enc: Buffer | null;
  attempts: ColumnType<number, number | undefined, number>;
  feedback: JSONColumnType<{ type: string; at: string; detail?: unknown }[], string | undefined, string>;
  created_at: Timestamp;
  sent_at: NullableTimestamp;
  deferred_until: NullableTimestamp;
  /** Required on insert: set by the engine's clock (migration 10 dropped the database default). */
  updated_at: Timestamp;
}

export interface SurveyLinksTable {
  id: string;
  key: string;
  survey: string;
  customer_id: string;
  workflow_id: string | null;
  run_id: string | null;
  channel: string;
  locale: string | null;
  segment: string | null;
  stage: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface SurveyAnswersTable {
  link_id: string;
  survey: string;
  customer_id: string;
  score: number | null;
  answers: JSONColumnType<Record<string, unknown>, string, string>;
  answered_at: Timestamp;
}

export interface TasksTable {
  id: string;
  key: string;
  customer_id: string;
  assignee: string;
  title_enc: Buffer;
  note_enc: Buffer | null;
  status: ColumnType<string, string | undefined, string>;
  due_at: Timestamp;
  created_at: Timestamp;
  completed_at: NullableTimestamp;
  completed_by: string | null;
  outcome: string | null;
  workflow_id: string | null;
  run_id: string | null;
  reminded_at: NullableTimestamp;
}

export interface LoyaltyLedgerTable {
  id: Generated<string>;
  key: string;
  customer_id: string;
  points: number;
  status: string;
  balance: number;
  reason: string;
  workflow_id: string | null;
  run_id: string | null;
  at: Timestamp;
}
