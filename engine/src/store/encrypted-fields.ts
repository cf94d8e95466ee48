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
    name_grams: number[] | null;
    birthday_enc: string | null;
  }[],
): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    UPDATE customers c SET
      email_enc = decode(v.email_enc, 'base64'), email_hash = decode(v.email_hash, 'base64'),
      phone_enc = decode(v.phone_enc, 'base64'), phone_hash = decode(v.phone_hash, 'base64'),
      name_enc = decode(v.name_enc, 'base64'), name_grams = v.name_grams,
      birthday_enc = decode(v.birthday_enc, 'base64')
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v(id text, email_enc text, email_hash text,
      phone_enc text, phone_hash text, name_enc text, name_grams int4[], birthday_enc text)
    WHERE c.id = v.id`.execute(db);
}

/** A page of names stored without their fragments' hashes (before partial-name search). */
export async function unindexedNames(
  db: Db,
  after: string,
  limit: number,
): Promise<{ id: string; name_enc: Buffer }[]> {
  const rows = await sql<{ id: string; name_enc: Buffer }>`
    SELECT id, name_enc FROM customers WHERE name_enc IS NOT NULL AND name_grams IS NULL AND id > ${after}
    ORDER BY id LIMIT ${limit}`.execute(db);
  return rows.rows;
}

/** Stores names' fragment hashes, unless the name changed meanwhile (then its write set them). */
export async function writeNameGrams(
  db: Db,
  rows: { id: string; name_enc: Buffer; grams: number[] }[],
): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    UPDATE customers c SET name_grams = v.grams
    FROM jsonb_to_recordset(${JSON.stringify(
      rows.map((r) => ({ id: r.id, enc: r.name_enc.toString('base64'), grams: r.grams })),
    )}::jsonb) AS v(id text, enc text, grams int4[])
    WHERE c.id = v.id AND c.name_enc = decode(v.enc, 'base64')`.execute(db);
}

/** A table with encrypted columns besides customers, by key: `schema.table` for a plugin's. */
export interface EncryptedTable {
  table: string;
  key: string;
  columns: readonly string[];
}

/** The engine's other table with encrypted columns: messages' recipients and contents. */
export const ENCRYPTED_COLUMNS: readonly EncryptedTable[] = [
  { table: 'outbox', key: 'key', columns: ['to_enc', 'content_enc'] },
];

/** A page of a table's rows that hold encrypted values, by key (as text). */
export async function encryptedColumnsPage(
  db: Db,
  t: EncryptedTable,
  after: string,
  limit: number,
): Promise<{ key: string; values: (Buffer | null)[] }[]> {
  const columns = sql.join(t.columns.map((c) => sql.ref(c)));
  const rows = await sql<Record<string, Buffer | null> & { k: string }>`
    SELECT ${sql.ref(t.key)}::text AS k, ${columns} FROM ${sql.table(t.table)}
    WHERE ${sql.ref(t.key)}::text > ${after}
    ORDER BY ${sql.ref(t.key)}::text LIMIT ${limit}`.execute(db);
  return rows.rows.map((r) => ({ key: r.k, values: t.columns.map((c) => r[c] ?? null) }));
}

/** Writes re-encrypted values (base64, null for none) back by key. */
export async function rewriteColumns(
  db: Db,
  t: EncryptedTable,
  rows: { key: string; values: (string | null)[] }[],
): Promise<void> {
  for (const r of rows) {
    const sets = sql.join(
      t.columns.map((c, i) => sql`${sql.ref(c)} = decode(${r.values[i] ?? null}::text, 'base64')`),
    );
    await sql`UPDATE ${sql.table(t.table)} SET ${sets} WHERE ${sql.ref(t.key)}::text = ${r.key}`.execute(db);
  }
}
