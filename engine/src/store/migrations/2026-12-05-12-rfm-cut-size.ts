import { type Kysely, sql } from 'kysely';

/**
 * Frozen: the RFM cut points remember how many buyers they were cut from, so that while a base is
 * small (a first import) they are cut again as orders arrive, instead of waiting for the nightly
 * recompute. Null for cut points made before: those came from a full recompute and stay.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE rfm_thresholds ADD COLUMN buyers integer`.execute(db);
}
