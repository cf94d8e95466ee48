/** A stored record an explanation rests on: its table and key, so anyone can look it up. */
export interface Cited {
  table:
    | 'runs'
    | 'run_history'
    | 'events'
    | 'outbox'
    | 'paused_entries'
    | 'audit_log'
    | 'customers'
    | 'step_results';
  id: string;
  at?: string;
}

export type ReasonCode =
  /** Where the customer is now. */
  | 'in_run'
  | 'held_paused'
  | 'finished'
  | 'exit_goal'
  | 'run_failed'
  | 'migrated'
  /** Steps and messages. */
  | 'step_failed'
  | 'step_retrying'
  | 'message_sent'
  | 'no_consent'
  | 'no_address'
  | 'quiet_hours'
  | 'frequency_cap'
  | 'message_skipped'
  /** Why an event did not start a run. */
  | 'trigger_filter'
  | 'trigger_key'
  | 'already_in_run'
  | 'reentry_blocked'
  | 'paused'
  | 'not_published_yet'
  | 'no_trigger_event'
  | 'not_reached_by_trigger';

export interface Reason {
  code: ReasonCode;
  /** In plain words, for an operator. */
  message: string;
  at: string | null;
  records: Cited[];
}

export interface WorkflowExplanation {
  workflow: string;
  name: string;
  publishedVersion: number | null;
  paused: boolean;
  /** One sentence: where the customer stands with this journey. */
  summary: string;
  /** Newest first. */
  reasons: Reason[];
}

export interface Explanation {
  customer: string;
  workflows: WorkflowExplanation[];
}
