import { type Kysely, sql } from 'kysely';

/**
 * Frozen: customer profiles (personal fields encrypted, found through keyed hashes), consent,
 * lifecycle stage, event-derived metrics, segments, time-trigger bookkeeping and the audit log.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE customers
      ADD COLUMN email_enc bytea,
      ADD COLUMN email_hash bytea,
      ADD COLUMN phone_enc bytea,
      ADD COLUMN phone_hash bytea,
      ADD COLUMN name_enc bytea,
      ADD COLUMN birthday_enc bytea,
      -- month * 100 + day, in clear: what birthday triggers select on (no year, no identity).
      ADD COLUMN birthday_md smallint,
      ADD COLUMN locale text,
      ADD COLUMN owner text,
      ADD COLUMN consent jsonb NOT NULL DEFAULT '{}',
      ADD COLUMN stage text,
      ADD COLUMN stage_since timestamptz,
      ADD COLUMN erased_at timestamptz;
    CREATE INDEX customers_email_hash ON customers (email_hash) WHERE email_hash IS NOT NULL;
    CREATE INDEX customers_phone_hash ON customers (phone_hash) WHERE phone_hash IS NOT NULL;
    CREATE INDEX customers_owner ON customers (owner) WHERE owner IS NOT NULL;
    CREATE INDEX customers_birthday ON customers (birthday_md) WHERE birthday_md IS NOT NULL;
    CREATE INDEX customers_stage ON customers (stage);

    -- Purchases, aggregated per customer: kept current as orders arrive, fully recomputed on a
    -- schedule (scores are quintiles over the whole base, which only a full pass can place).
    CREATE TABLE customer_metrics (
      customer_id text PRIMARY KEY,
      orders int NOT NULL DEFAULT 0,
      revenue numeric NOT NULL DEFAULT 0,
      first_order_at timestamptz,
      last_order_at timestamptz,
      orders_30d int NOT NULL DEFAULT 0,
      orders_90d int NOT NULL DEFAULT 0,
      orders_365d int NOT NULL DEFAULT 0,
      revenue_90d numeric NOT NULL DEFAULT 0,
      revenue_365d numeric NOT NULL DEFAULT 0,
      r smallint,
      f smallint,
      m smallint,
      segment text,
      abc text,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    -- The quintile boundaries of the last full recompute: orders that arrive later are scored
    -- against them.
    CREATE TABLE rfm_thresholds (
      id int PRIMARY KEY CHECK (id = 1),
      recency_days double precision[] NOT NULL,
      frequency double precision[] NOT NULL,
      monetary double precision[] NOT NULL,
      computed_at timestamptz NOT NULL
    );
    CREATE INDEX events_customer_type ON events (customer_id, type, occurred_at);

    CREATE INDEX customers_timezone ON customers (timezone, id);

    -- Time triggers fire once per customer per occurrence: this is the record of who has been
    -- considered for which occurrence (several processes, restarts and re-sweeps agree on it).
    CREATE TABLE trigger_fires (
      workflow_id text NOT NULL,
      occurrence text NOT NULL,
      customer_id text NOT NULL,
      PRIMARY KEY (workflow_id, occurrence, customer_id)
    );
    -- Occurrences (per time zone) whose enrollment finished: later sweeps skip them at once.
    CREATE TABLE trigger_occurrences (
      workflow_id text NOT NULL,
      zone text NOT NULL,
      occurrence text NOT NULL,
      enrolled int NOT NULL,
      done_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (workflow_id, zone, occurrence)
    );
    -- Small facts the engine keeps about itself (when the lifecycle was last recomputed, …).
    CREATE TABLE engine_state (
      key text PRIMARY KEY,
      value jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    -- Saved segments (a CEL condition over the customer) and who is in them now.
    CREATE TABLE segments (
      id text PRIMARY KEY,
      name text NOT NULL,
      description text,
      definition text NOT NULL,
      evaluated_at timestamptz,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE segment_members (
      segment_id text NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
      customer_id text NOT NULL,
      since timestamptz NOT NULL,
      PRIMARY KEY (segment_id, customer_id)
    );
    CREATE INDEX segment_members_customer ON segment_members (customer_id);

    CREATE TABLE audit_log (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT now(),
      actor text NOT NULL,
      action text NOT NULL,
      entity text NOT NULL,
      entity_id text NOT NULL,
      detail jsonb
    );
    CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id);
  `.execute(db);
}
