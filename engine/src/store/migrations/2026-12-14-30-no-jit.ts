import { type Kysely, sql } from 'kysely';

/**
 * Frozen: Tend's role runs without PostgreSQL's JIT compiler in Tend's database (new sessions).
 *
 * Distribution packages of PostgreSQL (Debian's, the usual cloud services) ship with JIT on: a
 * statement whose estimated cost passes `jit_above_cost` is compiled with LLVM first. The engine's
 * statements are short lookups and writes, and a few of its reads are estimated dear while their
 * tables are young (the run loader's inbox sub-select): on Debian's PostgreSQL 15 that compiling
 * took about 90 ms of a 95 ms statement, 59 % of PostgreSQL's time in the engine benchmark.
 *
 * Set for the role in this database only (what any role may do for itself, without owning the
 * database); refused, it is a warning and the migration goes on.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    DO $$
    BEGIN
      EXECUTE format('ALTER ROLE CURRENT_USER IN DATABASE %I SET jit = off', current_database());
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE WARNING 'could not turn JIT off for this role and database: %', SQLERRM;
    END
    $$`.execute(db);
}
