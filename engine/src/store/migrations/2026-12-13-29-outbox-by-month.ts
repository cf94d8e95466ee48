import { type Kysely, sql } from 'kysely';

/**
 * Frozen: `outbox` becomes a table partitioned by the month each message was created in
 * (`bucket`, the first day of that month, UTC, from `created_at`), as `events` (2026-12-11-27)
 * and `run_history` (2026-12-12-28) are, so the retention job drops whole months of settled
 * messages instead of deleting rows (store/outbox-partitions.ts).
 *
 * A message's key says it is sent once; a partitioned table's unique keys must hold the month,
 * so the key moves to a table of its own, `outbox_keys (key)`, with the month its message lives
 * in. Writing a message takes its key's month first (store/outbox.ts#putOutbox, one statement),
 * and every read or update by key names that month, so PostgreSQL reads one partition. A retry
 * that rewrites a message in a later month finds it in the month it was created in.
 *
 * The existing table is kept, not copied: attached as `outbox_before` (bucket = -infinity), its
 * indexes adopted as they are, only the primary key (now with the month) built once, and the
 * keys of its messages copied into `outbox_keys`. `outbox_kept` (bucket = infinity) holds what
 * the retention job keeps past retention (messages not settled yet, or held for a person);
 * `outbox_default` a month not made yet.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE outbox_keys AS SELECT key, '-infinity'::date AS bucket FROM outbox;
    ALTER TABLE outbox_keys ALTER COLUMN key SET NOT NULL, ALTER COLUMN bucket SET NOT NULL,
      ADD CONSTRAINT outbox_keys_pkey PRIMARY KEY (key);

    ALTER TABLE outbox RENAME TO outbox_before;
    ALTER TABLE outbox_before DROP CONSTRAINT outbox_pkey;
    ALTER INDEX outbox_customer_created RENAME TO outbox_before_customer_created;
    ALTER INDEX outbox_workflow_created RENAME TO outbox_before_workflow_created;
    ALTER INDEX outbox_provider_id RENAME TO outbox_before_provider_id;
    ALTER INDEX outbox_created RENAME TO outbox_before_created;
    ALTER TABLE outbox_before ADD COLUMN bucket date NOT NULL DEFAULT '-infinity';
    ALTER TABLE outbox_before ALTER COLUMN bucket DROP DEFAULT;

    CREATE TABLE outbox (
      key text NOT NULL,
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
      updated_at timestamptz NOT NULL,
      bucket date NOT NULL
    ) PARTITION BY RANGE (bucket);

    ALTER TABLE outbox ATTACH PARTITION outbox_before FOR VALUES FROM (MINVALUE) TO ('1970-01-01');
    ALTER TABLE outbox ADD CONSTRAINT outbox_pkey PRIMARY KEY (key, bucket);
    -- Frequency caps count a customer's journey messages since a moment.
    CREATE INDEX outbox_customer_created ON outbox (customer_id, created_at DESC);
    CREATE INDEX outbox_workflow_created ON outbox (workflow_id, created_at DESC);
    CREATE INDEX outbox_provider_id ON outbox (provider_id) WHERE provider_id IS NOT NULL;
    CREATE INDEX outbox_created ON outbox (created_at);
    CREATE TABLE outbox_kept PARTITION OF outbox FOR VALUES FROM ('infinity') TO (MAXVALUE);
    CREATE TABLE outbox_default PARTITION OF outbox DEFAULT;
  `.execute(db);
}
