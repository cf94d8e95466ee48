import type { ColumnType, JSONColumnType } from 'kysely';

/** The outbox every channel plugin shares (migration 2026-11-23-03), as Kysely sees it. */
export interface PluginTables {
  outbox: OutboxTable;
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
