import { type Kysely, sql } from 'kysely';

/** Frozen: the engine core's tables (workflows, customers, events, runs, jobs' results, keys). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE workflows (
      id text PRIMARY KEY,
      name text NOT NULL,
      stage text,
      published_version int,
      published_at timestamptz,
      archived_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE workflow_versions (
      workflow_id text NOT NULL REFERENCES workflows(id),
      version int NOT NULL,
      hash text NOT NULL,
      yaml text NOT NULL,
      definition jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by text,
      source text,
      message text,
      PRIMARY KEY (workflow_id, version),
      UNIQUE (workflow_id, hash)
    );
    CREATE TABLE customers (
      id text PRIMARY KEY,
      attributes jsonb NOT NULL DEFAULT '{}',
      tags text[] NOT NULL DEFAULT '{}',
      timezone text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE events (
      seq bigserial PRIMARY KEY,
      id text NOT NULL UNIQUE,
      customer_id text NOT NULL,
      type text NOT NULL,
      data jsonb NOT NULL DEFAULT '{}',
      occurred_at timestamptz NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX events_customer ON events (customer_id, seq);
    CREATE TABLE event_dispatch (
      seq bigint PRIMARY KEY,
      customer_id text NOT NULL
    );
    CREATE INDEX event_dispatch_customer ON event_dispatch (customer_id, seq);
    CREATE TABLE runs (
      id uuid PRIMARY KEY,
      workflow_id text NOT NULL,
      version int NOT NULL,
      customer_id text NOT NULL,
      key text,
      status text NOT NULL,
      state text NOT NULL,
      phase text NOT NULL,
      step int,
      awaiting text,
      outcome text,
      entry int NOT NULL,
      rev int NOT NULL DEFAULT 0,
      driver uuid,
      attempt int NOT NULL DEFAULT 0,
      snapshot jsonb NOT NULL,
      started_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      ended_at timestamptz
    );
    CREATE UNIQUE INDEX runs_one_active ON runs (workflow_id, customer_id, coalesce(key, ''))
      WHERE status = 'active';
    CREATE INDEX runs_active_customer ON runs (customer_id) WHERE status = 'active';
    CREATE INDEX runs_workflow_customer ON runs (workflow_id, customer_id, started_at DESC);
    CREATE INDEX runs_workflow_state ON runs (workflow_id, status, state);
    CREATE TABLE run_history (
      id bigserial PRIMARY KEY,
      run_id uuid NOT NULL,
      at timestamptz NOT NULL,
      type text NOT NULL,
      state text,
      step text,
      detail jsonb
    );
    CREATE INDEX run_history_run ON run_history (run_id, id);
    -- One row per applied cause (a step result, a timer, an event); what followed from it in the
    -- same transition travels in detail.after. This view lists every entry, in order.
    CREATE VIEW run_history_entries AS
      SELECT h.run_id, h.id, 0::bigint AS n, h.at, h.type, h.state, h.step, h.detail - 'after' AS detail
      FROM run_history h
      UNION ALL
      SELECT h.run_id, h.id, t.n, h.at, t.e->>'type', t.e->>'state', t.e->>'step', t.e->'detail'
      FROM run_history h, jsonb_array_elements(h.detail->'after') WITH ORDINALITY AS t(e, n)
      WHERE h.detail ? 'after';
    CREATE TABLE run_inbox (
      run_id uuid NOT NULL,
      event_seq bigint NOT NULL,
      PRIMARY KEY (run_id, event_seq)
    );
    CREATE TABLE step_results (
      key text PRIMARY KEY,
      run_id uuid NOT NULL,
      step text NOT NULL,
      status text NOT NULL,
      output jsonb,
      error jsonb,
      attempts int NOT NULL,
      completed_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE api_keys (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      role text NOT NULL,
      hash text NOT NULL UNIQUE,
      prefix text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    );
    CREATE TABLE plugin_store (
      plugin text NOT NULL,
      key text NOT NULL,
      value jsonb NOT NULL,
      PRIMARY KEY (plugin, key)
    );
  `.execute(db);
}
