import { type Kysely, type Selectable, sql } from '@tend/plugin-sdk';
import { newCode } from './codes.ts';

/** The referrals plugin's tables (schema plugin_referrals). */
export interface ReferralsDatabase {
  /** A customer's referral code, made the first time it is asked for. */
  codes: { customer_id: string; code: string; created_at: Date };
  /** Who brought whom: one row per referred customer, converted at their first order. */
  referrals: {
    /** The referred customer. */
    customer_id: string;
    referrer_id: string;
    code: string;
    signed_up_at: Date;
    converted_at: Date | null;
    order_ref: string | null;
  };
}

export type ReferralRow = Selectable<ReferralsDatabase['referrals']>;
type Db = Kysely<ReferralsDatabase>;

export const MIGRATIONS = [
  {
    name: '2026-12-09-01-referrals',
    async up(db: Kysely<unknown>) {
      await sql`
        CREATE TABLE codes (
          customer_id text PRIMARY KEY,
          code text NOT NULL UNIQUE,
          created_at timestamptz NOT NULL
        );
        CREATE TABLE referrals (
          customer_id text PRIMARY KEY,
          referrer_id text NOT NULL,
          code text NOT NULL,
          signed_up_at timestamptz NOT NULL,
          converted_at timestamptz,
          order_ref text
        );
        CREATE INDEX referrals_by_referrer ON referrals (referrer_id, signed_up_at DESC);
      `.execute(db);
    },
  },
];

export async function codeOf(db: Db, customerId: string): Promise<string | null> {
  const row = await db
    .selectFrom('codes')
    .select('code')
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  return row?.code ?? null;
}

/** The customer's code, made now if they have none (a clash with another's code draws again). */
export async function ensureCode(db: Db, customerId: string, now: Date): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const existing = await codeOf(db, customerId);
    if (existing) return existing;
    try {
      await db
        .insertInto('codes')
        .values({ customer_id: customerId, code: newCode(), created_at: now })
        .onConflict((oc) => oc.column('customer_id').doNothing())
        .execute();
    } catch (error) {
      // The code was taken (one in a trillion): draw another.
      if ((error as { code?: string }).code !== '23505') throw error;
    }
  }
  throw new Error(`could not make a referral code for ${customerId}`);
}

export async function ownerOfCode(db: Db, code: string): Promise<string | null> {
  const row = await db.selectFrom('codes').select('customer_id').where('code', '=', code).executeTakeFirst();
  return row?.customer_id ?? null;
}

/** Records who brought the customer, once: a second attribution keeps the first. */
export async function recordReferral(
  db: Db,
  r: { referredId: string; referrerId: string; code: string; at: Date },
): Promise<{ created: boolean; row: ReferralRow }> {
  const inserted = await db
    .insertInto('referrals')
    .values({ customer_id: r.referredId, referrer_id: r.referrerId, code: r.code, signed_up_at: r.at })
    .onConflict((oc) => oc.column('customer_id').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { created: true, row: inserted };
  return { created: false, row: (await referralOf(db, r.referredId)) as ReferralRow };
}

export async function referralOf(db: Db, referredId: string): Promise<ReferralRow | null> {
  return (
    (await db.selectFrom('referrals').selectAll().where('customer_id', '=', referredId).executeTakeFirst()) ??
    null
  );
}

/** Marks a referred customer converted, once; the row as it is after. */
export async function recordConversion(
  db: Db,
  referredId: string,
  at: Date,
  orderRef: string | null,
): Promise<{ converted: boolean; row: ReferralRow | null }> {
  const updated = await db
    .updateTable('referrals')
    .set({ converted_at: at, order_ref: orderRef })
    .where('customer_id', '=', referredId)
    .where('converted_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  if (updated) return { converted: true, row: updated };
  return { converted: false, row: await referralOf(db, referredId) };
}

/** How many the customer brought: signed up, and of those, ordered. */
export async function countsOf(db: Db, referrerId: string): Promise<{ signedUp: number; converted: number }> {
  const row = await db
    .selectFrom('referrals')
    .select([
      sql<number>`count(*)::int`.as('signed_up'),
      sql<number>`count(converted_at)::int`.as('converted'),
    ])
    .where('referrer_id', '=', referrerId)
    .executeTakeFirst();
  return { signedUp: row?.signed_up ?? 0, converted: row?.converted ?? 0 };
}

/** The customers someone brought, newest first. */
export async function referredBy(db: Db, referrerId: string, limit: number): Promise<ReferralRow[]> {
  return db
    .selectFrom('referrals')
    .selectAll()
    .where('referrer_id', '=', referrerId)
    .orderBy('signed_up_at', 'desc')
    .limit(limit)
    .execute();
}

/**
 * An erased customer: their code goes; a referral of theirs keeps its place in the referrer's
 * count under the pseudonym; those they brought keep counting for them under it.
 */
export async function eraseReferrals(db: Db, customerId: string, pseudonym: string): Promise<void> {
  // `db` is the erasure's transaction: all of it happens, or none.
  await db.deleteFrom('codes').where('customer_id', '=', customerId).execute();
  await db
    .updateTable('referrals')
    .set({ customer_id: pseudonym })
    .where('customer_id', '=', customerId)
    .execute();
  await db
    .updateTable('referrals')
    .set({ referrer_id: pseudonym })
    .where('referrer_id', '=', customerId)
    .execute();
}
