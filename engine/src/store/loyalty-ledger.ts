import { sql } from 'kysely';
import type { Db } from './db.ts';

export interface LoyaltyState {
  balance: number;
  earned: number;
  tier: string;
}

export interface LedgerEntry {
  key: string;
  customer_id: string;
  points: number;
  reason: string;
  workflow_id: string | null;
  run_id: string | null;
  at: Date;
}

/**
 * Applies one entry to a customer's points, once per key (run it inside a transaction). The
 * customer's row is locked first, so entries for one customer apply one at a time; a redemption
 * the balance cannot cover is recorded as declined and changes nothing. The running balance,
 * points ever earned and the tier are kept on the customers row (`loyalty`), where journeys
 * read them as `customer.loyalty`.
 */
export async function applyLedgerEntry(
  trx: Db,
  entry: LedgerEntry,
  tierOf: (earned: number) => string,
): Promise<{ status: 'applied' | 'declined'; repeated: boolean; state: LoyaltyState }> {
  // The entry's time is the engine's (the step's `now`): it also stamps the customer's row.
  await sql`INSERT INTO customers (id, created_at, updated_at) VALUES (${entry.customer_id}, ${entry.at}, ${entry.at})
    ON CONFLICT (id) DO NOTHING`.execute(trx);
  const customer = await sql<{ loyalty: Partial<LoyaltyState> | null }>`
    SELECT loyalty FROM customers WHERE id = ${entry.customer_id} FOR UPDATE`.execute(trx);
  const current = stateOf(customer.rows[0]?.loyalty ?? null, tierOf);
  const seen = await trx
    .selectFrom('loyalty_ledger')
    .select('status')
    .where('key', '=', entry.key)
    .executeTakeFirst();
  if (seen) return { status: seen.status as 'applied' | 'declined', repeated: true, state: current };
  const declined = current.balance + entry.points < 0;
  const next = declined
    ? current
    : {
        balance: current.balance + entry.points,
        earned: current.earned + Math.max(entry.points, 0),
        tier: tierOf(current.earned + Math.max(entry.points, 0)),
      };
  await trx
    .insertInto('loyalty_ledger')
    .values({ ...entry, status: declined ? 'declined' : 'applied', balance: next.balance })
    .execute();
  if (!declined) {
    await trx
      .updateTable('customers')
      .set({ loyalty: JSON.stringify(next), updated_at: entry.at })
      .where('id', '=', entry.customer_id)
      .execute();
  }
  return { status: declined ? 'declined' : 'applied', repeated: false, state: next };
}

export async function loyaltyOf(
  db: Db,
  customerId: string,
  tierOf: (earned: number) => string,
): Promise<LoyaltyState> {
  const row = await db
    .selectFrom('customers')
    .select('loyalty')
    .where('id', '=', customerId)
    .executeTakeFirst();
  return stateOf((row?.loyalty as Partial<LoyaltyState> | null) ?? null, tierOf);
}

export async function ledgerOf(db: Db, customerId: string, limit: number) {
  return db
    .selectFrom('loyalty_ledger')
    .select(['key', 'points', 'status', 'balance', 'reason', 'workflow_id', 'at'])
    .where('customer_id', '=', customerId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

function stateOf(stored: Partial<LoyaltyState> | null, tierOf: (earned: number) => string): LoyaltyState {
  const earned = stored?.earned ?? 0;
  return { balance: stored?.balance ?? 0, earned, tier: stored?.tier ?? tierOf(earned) };
}
