import { sql } from 'kysely';
import type { Db } from './db.ts';

export interface EncryptedRow {
  id: string;
  email_enc: Buffer | null;
  phone_enc: Buffer | null;
  name_enc: Buffer | null;
  birthday_enc: Buffer | null;
}

/** A page of customers that hold encrypted fields, in id order. */
export async function encryptedPage(db: Db, after: string, limit: number): Promise<EncryptedRow[]> {
  return db
    .selectFrom('customers')
    .select(['id', 'email_enc', 'phone_enc', 'name_enc', 'birthday_enc'])
    .where('id', '>', after)
    .where((eb) =>
      eb.or([
        eb('email_enc', 'is not', null),
        eb('phone_enc', 'is not', null),
        eb('name_enc', 'is not', null),
        eb('birthday_enc', 'is not', null),
      ]),
    )
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Writes re-encrypted fields and their new lookup hashes. */
export async function rewriteEncrypted(
  db: Db,
  rows: {
    id: string;
    email_enc: string | null;
    email_hash: string | null;
    phone_enc: string | null;
    phone_hash: string | null;
    name_enc: string | null;
    birthday_enc: string | null;
  }[],
): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    UPDATE customers c SET
      email_enc = decode(v.email_enc, 'base64'), email_hash = decode(v.email_hash, 'base64'),
      phone_enc = decode(v.phone_enc, 'base64'), phone_hash = decode(v.phone_hash, 'base64'),
      name_enc = decode(v.name_enc, 'base64'), birthday_enc = decode(v.birthday_enc, 'base64')
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v(id text, email_enc text, email_hash text,
      phone_enc text, phone_hash text, name_enc text, birthday_enc text)
    WHERE c.id = v.id`.execute(db);
}
