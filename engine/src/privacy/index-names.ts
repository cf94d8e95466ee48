import type { Db } from '../store/db.ts';
import { unindexedNames, writeNameGrams } from '../store/encrypted-fields.ts';
import type { KeyRing } from './key-ring.ts';
import { indexGrams } from './name-grams.ts';

const PAGE = 2000;

/**
 * Gives every name stored without them its fragments' hashes (names written before partial-name
 * search, or by another system straight into the table). Safe in several processes at once: each
 * writes the same values. Returns how many names it indexed.
 */
export async function indexUnindexedNames(
  db: Db,
  keys: KeyRing,
  /** Asked before each page: true stops early (the engine is stopping). */
  stopping: () => boolean = () => false,
): Promise<number> {
  let done = 0;
  let after = '';
  for (;;) {
    if (stopping()) return done;
    const page = await unindexedNames(db, after, PAGE);
    if (page.length === 0) return done;
    after = page.at(-1)?.id as string;
    const rows = page.map((r) => ({ ...r, grams: keys.gramHashes(indexGrams(keys.decrypt(r.name_enc))) }));
    await writeNameGrams(db, rows);
    done += rows.length;
  }
}
