import { type Kysely, sql } from 'kysely';

/**
 * Frozen: `tend_runs_changed(ids)` fails the statement that calls it, with SQLSTATE 40001
 * (serialization_failure) and the runs' ids.
 *
 * The batched run write (store/run-writes.ts) calls it when a run it updates no longer has the
 * revision its writer read: the whole statement fails, the transaction with it, and its COMMIT,
 * sent behind it without waiting for its answer, rolls back. Volatile, so the planner never
 * evaluates it ahead of the CASE that guards it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION tend_runs_changed(ids text[]) RETURNS int
    LANGUAGE plpgsql VOLATILE AS $$
    BEGIN
      RAISE EXCEPTION 'runs changed meanwhile: %', array_to_string(ids, ', ')
        USING ERRCODE = 'serialization_failure';
    END
    $$`.execute(db);
}
