import { type Kysely, sql } from 'kysely';

/**
 * Frozen: `events` becomes a table partitioned by the month Tend received each event (`bucket`,
 * the first day of that month, UTC), so the retention job drops whole months instead of deleting
 * rows (store/event-partitions.ts).
 *
 * A partitioned table's unique keys must hold the month, so "an event id is stored once per
 * customer" moves to a table of its own: `event_keys`, keyed as `events` was, (id, customer_id)
 * (ids Tend makes are time-ordered, so new keys go to the index's right edge), written by the
 * same statement as the event (store/events.ts#storedEvents), its month beside it so the
 * retention job trims the keys of a month it dropped. It starts with the key of every event
 * already stored. `events` itself keeps no key by id.
 *
 * The existing table is kept, not copied: it is attached as the partition `events_before` with
 * `bucket` = -infinity for every row (a column with a constant default is added without
 * rewriting the table), and the retention job drops it whole once its newest event is past
 * retention. Its indexes that match the parent's are adopted as they are; the primary key, which
 * now includes the month, is built once (measured in docs/scaling.md).
 *
 * `events_kept` (bucket = infinity) holds events the retention job keeps past retention (the
 * purchases RFM and the predictions count); `events_default` catches a month whose partition
 * the job has not made yet, and the job moves its rows when it makes it.
 *
 * What reads `events` by sequence number carries the month beside it, so PostgreSQL reads one
 * partition instead of probing every month's key: `event_dispatch.bucket` for the dispatcher,
 * `run_inbox.event_bucket` for the run inboxes. Every row already there points at an event of
 * `events_before`, hence `-infinity`, set without rewriting either table; new rows name their
 * month (no default, so a writer that forgets fails instead of pointing nowhere).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE event_keys AS SELECT customer_id, id, '-infinity'::date AS bucket FROM events;
    ALTER TABLE event_keys ALTER COLUMN customer_id SET NOT NULL, ALTER COLUMN id SET NOT NULL,
      ALTER COLUMN bucket SET NOT NULL, ADD CONSTRAINT event_keys_pkey PRIMARY KEY (id, customer_id);

    ALTER TABLE events RENAME TO events_before;
    ALTER TABLE events_before DROP CONSTRAINT events_pkey, DROP CONSTRAINT events_id_key;
    ALTER INDEX events_customer RENAME TO events_before_customer;
    ALTER INDEX events_customer_type RENAME TO events_before_customer_type;
    ALTER INDEX events_stage_changes RENAME TO events_before_stage_changes;
    ALTER TABLE events_before ADD COLUMN bucket date NOT NULL DEFAULT '-infinity';
    ALTER TABLE events_before ALTER COLUMN bucket DROP DEFAULT, ALTER COLUMN seq DROP DEFAULT;

    CREATE TABLE events (
      seq bigint NOT NULL DEFAULT nextval('events_seq_seq'),
      id text NOT NULL,
      customer_id text NOT NULL,
      type text NOT NULL,
      data jsonb NOT NULL DEFAULT '{}',
      occurred_at timestamptz NOT NULL,
      received_at timestamptz NOT NULL,
      bucket date NOT NULL
    ) PARTITION BY RANGE (bucket);
    ALTER SEQUENCE events_seq_seq OWNED BY events.seq;

    ALTER TABLE events ATTACH PARTITION events_before FOR VALUES FROM (MINVALUE) TO ('1970-01-01');
    ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY (seq, customer_id, bucket);
    CREATE INDEX events_customer ON events (customer_id, seq);
    CREATE INDEX events_customer_type ON events (customer_id, type, occurred_at);
    CREATE INDEX events_stage_changes ON events (occurred_at) WHERE type = 'customer.stage_changed';

    CREATE TABLE events_kept PARTITION OF events FOR VALUES FROM ('infinity') TO (MAXVALUE);
    CREATE TABLE events_default PARTITION OF events DEFAULT;

    ALTER TABLE event_dispatch ADD COLUMN bucket date NOT NULL DEFAULT '-infinity';
    ALTER TABLE event_dispatch ALTER COLUMN bucket DROP DEFAULT;
    ALTER TABLE run_inbox ADD COLUMN event_bucket date NOT NULL DEFAULT '-infinity';
    ALTER TABLE run_inbox ALTER COLUMN event_bucket DROP DEFAULT;
  `.execute(db);
}
