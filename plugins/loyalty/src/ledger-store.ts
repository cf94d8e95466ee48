import { type Generated, type Kysely, type Selectable, sql } from '@tend/plugin-sdk';

/** The loyalty plugin's tables (schema plugin_loyalty). */
export interface LoyaltyDatabase {
  /** Every award and redemption, with the balance after it; one per key. */
  ledger: {
    id: Generated<string>;
    key: string;
    customer_id: string;
    points: number;
    status: string;
    balance: number;
    reason: string;
    workflow_id: string | null;
    run_id: string | null;
    at: Date;
  };
  /** Each customer's balance and points ever earned: the row entries lock, one at a time. */
  accounts: { customer_id: string; balance: number; earned: number };
}

export type LedgerRow = Selectable<LoyaltyDatabase['ledger']>;
type Db = Kysely<LoyaltyDatabase>;

export interface Account {
  balance: number;
  earned: number;
}

/**
 * Applies one entry to a customer's points, once per key, in one transaction: the account row is
 * locked first, so a customer's entries apply one at a time; a redemption the balance cannot
 * cover is recorded as declined and changes nothing.
 */
export async function applyEntry(
  db: Db,
  entry: Omit<LedgerRow, 'id' | 'status' | 'balance'>,
): Promise<{ status: 'applied' | 'declined'; repeated: boolean; before: Account; account: Account }> {
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto('accounts')
      .values({ customer_id: entry.customer_id, balance: 0, earned: 0 })
      .onConflict((oc) => oc.column('customer_id').doNothing())
      .execute();
    const account = await trx
      .selectFrom('accounts')
      .select(['balance', 'earned'])
      .where('customer_id', '=', entry.customer_id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const seen = await trx
      .selectFrom('ledger')
      .select('status')
      .where('key', '=', entry.key)
      .where('customer_id', '=', entry.customer_id)
      .executeTakeFirst();
    if (seen)
      return { status: seen.status as 'applied' | 'declined', repeated: true, before: account, account };
    const declined = account.balance + entry.points < 0;
    const next = declined
      ? account
      : { balance: account.balance + entry.points, earned: account.earned + Math.max(entry.points, 0) };
    await trx
      .insertInto('ledger')
      .values({ ...entry, status: declined ? 'declined' : 'applied', balance: next.balance })
      .execute();
    if (!declined)
      await trx.updateTable('accounts').set(next).where('customer_id', '=', entry.customer_id).execute();
    return { status: declined ? 'declined' : 'applied', repeated: false, before: account, account: next };
  });
}

export async function accountOf(db: Db, customerId: string): Promise<Account> {
  const row = await db
    .selectFrom('accounts')
    .select(['balance', 'earned'])
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  return row ?? { balance: 0, earned: 0 };
}

/** A customer's latest entries, newest first. */
export async function ledgerOf(db: Db, customerId: string, limit: number): Promise<LedgerRow[]> {
  return db
    .selectFrom('ledger')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/**
 * An erased person's points: amounts, statuses and running balances stay (points issued and
 * redeemed add up; the workflow says what they were for) under the pseudonym. The reason is a
 * journey's text, which may be rendered from the profile ("for {{ customer.name }}"): it becomes
 * the erased text (it is never null).
 */
export async function eraseEntries(db: Db, from: string, to: string, erased: string): Promise<void> {
  await db
    .updateTable('ledger')
    .set({ customer_id: to, reason: erased })
    .where('customer_id', '=', from)
    .execute();
  await db.updateTable('accounts').set({ customer_id: to }).where('customer_id', '=', from).execute();
}

/** Frozen migrations of schema plugin_loyalty. */
export const MIGRATIONS = [
  {
    name: '2026-12-05-01-ledger',
    /**
     * The ledger the previous release kept in the engine's schema (public.loyalty_ledger) moves
     * here whole, data, sequence and indexes; a new installation gets a new one. Accounts are
     * summed up from it.
     */
    async up(db: Kysely<unknown>) {
      await sql`
        DO $$ BEGIN
          IF to_regclass('public.loyalty_ledger') IS NOT NULL THEN
            EXECUTE format('ALTER TABLE public.loyalty_ledger SET SCHEMA %I', current_schema());
            ALTER TABLE loyalty_ledger RENAME TO ledger;
          ELSE
            CREATE TABLE ledger (
              id bigserial PRIMARY KEY,
              key text NOT NULL UNIQUE,
              customer_id text NOT NULL,
              points int NOT NULL,
              status text NOT NULL,
              balance int NOT NULL CHECK (balance >= 0),
              reason text NOT NULL,
              workflow_id text,
              run_id uuid,
              at timestamptz NOT NULL
            );
            CREATE INDEX loyalty_ledger_customer ON ledger (customer_id, id);
          END IF;
        END $$;
        CREATE TABLE accounts (
          customer_id text PRIMARY KEY,
          balance int NOT NULL CHECK (balance >= 0),
          earned int NOT NULL
        );
        INSERT INTO accounts (customer_id, balance, earned)
          SELECT customer_id, (array_agg(balance ORDER BY id DESC))[1],
            coalesce(sum(points) FILTER (WHERE status = 'applied' AND points > 0), 0)
          FROM ledger GROUP BY customer_id;
      `.execute(db);
    },
  },
  {
    name: '2026-12-09-02-customer-keys',
    /**
     * Every key names the customer, so the ledger can be distributed by customer
     * (docs/scaling.md). The primary key (customer_id, id) also serves a customer's latest
     * entries, so the index that did goes. A key is a run's step, and a run has one customer: one
     * entry per key and customer is one entry per key.
     */
    async up(db: Kysely<unknown>) {
      await sql`
        DO $$ BEGIN
          EXECUTE (SELECT format('ALTER TABLE ledger DROP CONSTRAINT %I', conname) FROM pg_constraint
                   WHERE conrelid = 'ledger'::regclass AND contype = 'p');
          EXECUTE (SELECT format('ALTER TABLE ledger DROP CONSTRAINT %I', conname) FROM pg_constraint
                   WHERE conrelid = 'ledger'::regclass AND contype = 'u');
        END $$;
        ALTER TABLE ledger ADD PRIMARY KEY (customer_id, id),
          ADD CONSTRAINT ledger_key UNIQUE (key, customer_id);
        DROP INDEX loyalty_ledger_customer;
      `.execute(db);
    },
  },
];
