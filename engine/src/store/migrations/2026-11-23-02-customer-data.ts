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
