import { type Kysely, sql } from 'kysely';

/**
 * Frozen: `run_history` becomes a table partitioned by the month each row was written in
 * (`bucket`, the first day of that month, UTC, from `at`), as `events` is (2026-12-11-27), so the
 * retention job drops whole months of finished runs' history instead of deleting rows
 * (store/run-history-partitions.ts).
 *
 * The existing table is kept, not copied: it is attached as the partition `run_history_before`
 * with `bucket` = -infinity for every row (a constant default is a catalog change), and the
 * retention job drops it whole once every run it holds history of has ended long enough ago.
 * Its index by run is adopted as it is; only the primary key, which must now hold the month, is
 * built once. `run_history_kept` (bucket = infinity) holds the rows of months dropped whose run
 * was still active or ended within retention; `run_history_default` catches a month not made yet.
 *
 * The view of every entry is made again on the new table (a view follows the table it was made
 * on, here the renamed one). New rows name their month (no default: a writer that forgets fails).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP VIEW run_history_entries;
    ALTER TABLE run_history RENAME TO run_history_before;
    ALTER TABLE run_history_before DROP CONSTRAINT run_history_pkey;
    ALTER INDEX run_history_run RENAME TO run_history_before_run;
    ALTER TABLE run_history_before ADD COLUMN bucket date NOT NULL DEFAULT '-infinity';
    ALTER TABLE run_history_before ALTER COLUMN bucket DROP DEFAULT, ALTER COLUMN id DROP DEFAULT;

    CREATE TABLE run_history (
      id bigint NOT NULL DEFAULT nextval('run_history_id_seq'),
      run_id uuid NOT NULL,
      at timestamptz NOT NULL,
      type text NOT NULL,
      state text,
      step text,
      detail jsonb,
      bucket date NOT NULL
    ) PARTITION BY RANGE (bucket);
    ALTER SEQUENCE run_history_id_seq OWNED BY run_history.id;

    ALTER TABLE run_history ATTACH PARTITION run_history_before FOR VALUES FROM (MINVALUE) TO ('1970-01-01');
    ALTER TABLE run_history ADD CONSTRAINT run_history_pkey PRIMARY KEY (id, bucket);
    CREATE INDEX run_history_run ON run_history (run_id, id);
    CREATE TABLE run_history_kept PARTITION OF run_history FOR VALUES FROM ('infinity') TO (MAXVALUE);
    CREATE TABLE run_history_default PARTITION OF run_history DEFAULT;

    -- One row per applied cause (a step result, a timer, an event); what followed from it in the
    -- same transition travels in detail.after. This view lists every entry, in order.
    CREATE VIEW run_history_entries AS
      SELECT h.run_id, h.id, 0::bigint AS n, h.at, h.type, h.state, h.step, h.detail - 'after' AS detail
      FROM run_history h
      UNION ALL
      SELECT h.run_id, h.id, t.n, h.at, t.e->>'type', t.e->>'state', t.e->>'step', t.e->'detail'
      FROM run_history h, jsonb_array_elements(h.detail->'after') WITH ORDINALITY AS t(e, n)
      WHERE h.detail ? 'after';
  `.execute(db);
}
