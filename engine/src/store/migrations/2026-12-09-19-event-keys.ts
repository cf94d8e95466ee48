import { type Kysely, sql } from 'kysely';

/**
 * Frozen: the customer in every key of `events` and `event_dispatch`, so both can be distributed
 * by customer (docs/scaling.md). The old column still leads each key, so every lookup by
 * sequence number or by event id reads the same index as before. An event id is now unique per
 * customer: the same id sent again for the same customer is still skipped, and one sent for
 * another customer is that customer's event.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE events DROP CONSTRAINT events_pkey, DROP CONSTRAINT events_id_key,
      ADD CONSTRAINT events_pkey PRIMARY KEY (seq, customer_id),
      ADD CONSTRAINT events_id_key UNIQUE (id, customer_id);
    ALTER TABLE event_dispatch DROP CONSTRAINT event_dispatch_pkey,
      ADD CONSTRAINT event_dispatch_pkey PRIMARY KEY (seq, customer_id);
  `.execute(db);
}
