import { type Kysely, sql } from 'kysely';

/**
 * Frozen: room on each page of `runs` for the next versions of its rows. A run is written about
 * once per transition within seconds of its start; on full pages every such update put the new
 * row version on another page and a new entry in each of the table's three indexes (1 % of
 * updates were HOT in the engine benchmark). With pages filled to half at insert, 65 % of them
 * stay on their page and touch no index, and the table and its indexes end up smaller, not
 * larger (40,000 benchmark runs: 39 MB and 8.5 MB of indexes, against 47 MB and 9.8 MB).
 * Applies to pages written from now on.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE runs SET (fillfactor = 50)`.execute(db);
}
