import { type Kysely, sql } from 'kysely';

/**
 * Frozen: what the shipped plugins keep. The outbox (every message sent, skipped, deferred or
 * failed; also the dev mailbox), survey links and answers, follow-up tasks, the loyalty ledger
 * (with each customer's balance and tier on the customers row, where journeys read it).
 * Recipients, message content and task texts are personal data: stored encrypted (bytea).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE outbox (
      key text PRIMARY KEY,
      customer_id text,
      workflow_id text,
      run_id uuid,
      channel text NOT NULL,
      template text,
      locale text,
      purpose text NOT NULL,
      status text NOT NULL,
      reason text,
      detail text,
      provider text,
      provider_id text,
      to_enc bytea,
      content_enc bytea,
      attempts int NOT NULL DEFAULT 0,
      feedback jsonb NOT NULL DEFAULT '[]',
      created_at timestamptz NOT NULL,
      sent_at timestamptz,
      deferred_until timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    -- Frequency caps count a customer's journey messages since a moment.
    CREATE INDEX outbox_customer_created ON outbox (customer_id, created_at DESC);
    CREATE INDEX outbox_workflow_created ON outbox (workflow_id, created_at DESC);
    CREATE INDEX outbox_provider_id ON outbox (provider_id) WHERE provider_id IS NOT NULL;

    CREATE TABLE survey_links (
      id uuid PRIMARY KEY,
      key text NOT NULL UNIQUE,
      survey text NOT NULL,
      customer_id text NOT NULL,
      workflow_id text,
      run_id uuid,
      channel text NOT NULL,
      locale text,
      segment text,
      stage text,
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX survey_links_survey ON survey_links (survey, workflow_id);
    CREATE TABLE survey_answers (
      link_id uuid PRIMARY KEY REFERENCES survey_links(id),
      survey text NOT NULL,
      customer_id text NOT NULL,
      score int,
      answers jsonb NOT NULL,
      answered_at timestamptz NOT NULL
    );
    CREATE INDEX survey_answers_survey ON survey_answers (survey);

    CREATE TABLE tasks (
      id uuid PRIMARY KEY,
      key text NOT NULL UNIQUE,
      customer_id text NOT NULL,
      assignee text NOT NULL,
      title_enc bytea NOT NULL,
      note_enc bytea,
      status text NOT NULL DEFAULT 'open',
      due_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL,
      completed_at timestamptz,
      completed_by text,
      outcome text,
      workflow_id text,
      run_id uuid,
      reminded_at timestamptz
    );
    CREATE INDEX tasks_assignee ON tasks (assignee, status, due_at);
    CREATE INDEX tasks_overdue ON tasks (due_at) WHERE status = 'open' AND reminded_at IS NULL;

    CREATE TABLE loyalty_ledger (
      id bigserial PRIMARY KEY,
      key text NOT NULL UNIQUE,
      customer_id text NOT NULL,
      points int NOT NULL,
      status text NOT NULL,
      balance int NOT NULL CHECK (balance >= 0),
      reason text NOT NULL,
      workflow_id text,
      run_id uuid,
      at timestamptz NOT NULL
    );
    CREATE INDEX loyalty_ledger_customer ON loyalty_ledger (customer_id, id);
    -- {balance, earned, tier}: journeys read it as customer.loyalty.
    ALTER TABLE customers ADD COLUMN loyalty jsonb;
  `.execute(db);
}
