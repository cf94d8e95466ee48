import { type Kysely, sql } from 'kysely';

/**
 * Frozen: the customer in the primary key of `runs`, so runs can be distributed by customer
 * (docs/scaling.md); its unique index of active runs already leads with the customer. The id
 * still leads the key, so a run is found and updated by id alone as before.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE runs DROP CONSTRAINT runs_pkey, ADD CONSTRAINT runs_pkey PRIMARY KEY (id, customer_id);
  `.execute(db);
}
