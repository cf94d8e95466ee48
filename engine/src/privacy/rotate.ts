import { dropOldExports } from '../store/bulk-actions.ts';
import type { Db } from '../store/db.ts';
import {
  ENCRYPTED_COLUMNS,
  type EncryptedTable,
  encryptedColumnsPage,
  encryptedPage,
  rewriteColumns,
  rewriteEncrypted,
} from '../store/encrypted-fields.ts';
import type { KeyRing } from './key-ring.ts';
import { indexGrams } from './name-grams.ts';

const PAGE = 2000;

/**
 * Re-encrypts every personal field made with an old key under the current one, and recomputes
 * the lookup hashes. Restartable: rows already on the current key are left alone.
 */
export async function rotateKeys(
  db: Db,
  keys: KeyRing,
  progress: (scanned: number, rewritten: number) => void,
  /** The installed plugins' tables with encrypted columns (schema-qualified). */
  pluginTables: readonly EncryptedTable[],
) {
  let after = '';
  let scanned = 0;
  let rewritten = 0;
  for (;;) {
    const page = await encryptedPage(db, after, PAGE);
    if (page.length === 0) break;
    after = page.at(-1)?.id as string;
    scanned += page.length;
    const stale = page.filter((r) =>
      [r.email_enc, r.phone_enc, r.name_enc, r.birthday_enc].some((b) => b && keys.isStale(b)),
    );
    const reseal = (b: Buffer | null) => (b ? keys.encrypt(keys.decrypt(b)).toString('base64') : null);
    const rehash = (b: Buffer | null) => (b ? keys.lookup(keys.decrypt(b)).toString('base64') : null);
    await rewriteEncrypted(
      db,
      stale.map((r) => ({
        id: r.id,
        email_enc: reseal(r.email_enc),
        email_hash: rehash(r.email_enc),
        phone_enc: reseal(r.phone_enc),
        phone_hash: rehash(r.phone_enc),
        name_enc: reseal(r.name_enc),
        name_grams: r.name_enc ? keys.gramHashes(indexGrams(keys.decrypt(r.name_enc))) : null,
        birthday_enc: reseal(r.birthday_enc),
      })),
    );
    rewritten += stale.length;
    progress(scanned, rewritten);
  }
  let other = 0;
  // Messages' recipients and contents, what plugins keep (tasks' titles…): no lookup hashes, just reseal.
  for (const table of [...ENCRYPTED_COLUMNS, ...pluginTables]) {
    let key = '';
    for (;;) {
      const page = await encryptedColumnsPage(db, table, key, PAGE);
      if (page.length === 0) break;
      key = page.at(-1)?.key as string;
      const stale = page.filter((r) => r.values.some((b) => b && keys.isStale(b)));
      const reseal = (b: Buffer | null) => (b ? keys.encrypt(keys.decrypt(b)).toString('base64') : null);
      await rewriteColumns(
        db,
        table,
        stale.map((r) => ({ key: r.key, values: r.values.map(reseal) })),
      );
      other += stale.length;
    }
  }
  // Finished exports are downloads of a day, not records: dropped rather than re-encrypted (made
  // again in a click), so no file needs the old key once it is gone.
  await dropOldExports(db, new Date(8.64e15));
  return { scanned, rewritten, other };
}
