import { type Kysely, type Selectable, sql } from '@tend/plugin-sdk';

/** The example plugin's one table (schema plugin_example). */
export interface ExampleDatabase {
  stamps: {
    key: string;
    customer_id: string;
    note: string;
    stamped_at: Date;
    /** Set by the background job. */
    seen_at: Date | null;
  };
}

export type StampRow = Selectable<ExampleDatabase['stamps']>;
type Db = Kysely<ExampleDatabase>;

/** Stores a stamp once per customer and key; the stored one comes back for a key seen before. */
export async function stamp(db: Db, row: Omit<StampRow, 'seen_at'>): Promise<StampRow> {
  await db
    .insertInto('stamps')
    .values({ ...row, seen_at: null })
    .onConflict((oc) => oc.columns(['customer_id', 'key']).doNothing())
    .execute();
  return db
    .selectFrom('stamps')
    .selectAll()
    .where('customer_id', '=', row.customer_id)
    .where('key', '=', row.key)
    .executeTakeFirstOrThrow();
}

export async function listStamps(db: Db, limit: number): Promise<StampRow[]> {
  return db.selectFrom('stamps').selectAll().orderBy('stamped_at', 'desc').limit(limit).execute();
}

/** Marks every unseen stamp seen; returns how many. */
export async function markSeen(db: Db, at: Date): Promise<number> {
  const r = await db
    .updateTable('stamps')
    .set({ seen_at: at })
    .where('seen_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export const MIGRATIONS = [
  {
    name: '2026-12-05-01-stamps',
    async up(db: Kysely<unknown>) {
      await sql`
        CREATE TABLE stamps (
          key text PRIMARY KEY,
          customer_id text NOT NULL,
          note text NOT NULL,
          stamped_at timestamptz NOT NULL,
          seen_at timestamptz
        );
      `.execute(db);
    },
  },
  {
    name: '2026-12-09-02-customer-key',
    /**
     * A table about customers keeps the customer in its primary key (and in every unique key), so
     * it can be distributed by customer (docs/scaling.md). A key is a run's step, and a run has
     * one customer, so stamps stay one per key.
     */
    async up(db: Kysely<unknown>) {
      await sql`
        ALTER TABLE stamps DROP CONSTRAINT stamps_pkey, ADD PRIMARY KEY (customer_id, key);
      `.execute(db);
    },
  },
];
