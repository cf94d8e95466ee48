import type { KeyRing } from './key-ring.ts';

/**
 * The fragments of a name that partial-name search looks up. Names stay encrypted; what is
 * stored beside them is a keyed hash of each fragment (`KeyRing.gramHashes`), so "李" or "wei"
 * finds 李伟 or Wei Zhang without the name in clear. See docs/privacy.md for the trade-off.
 *
 * Han, kana and hangul are written without spaces and one character is often a whole surname,
 * so they are indexed as single characters and pairs; other scripts by words, as pairs and
 * triples of letters (a query needs two letters of them).
 */

/** Scripts written without spaces between words. */
const DENSE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const TOKEN = /[\p{L}\p{N}]+/gu;
/** Grams of one query: enough to be selective, few enough for one index probe. */
const MAX_QUERY_GRAMS = 32;

/** Compatibility forms folded (full-width letters), lower-case. */
export const normalizeName = (name: string) => name.normalize('NFKC').toLowerCase();

/** A name's words, each cut where the script changes between dense and spaced (李wei → 李, wei). */
function tokens(text: string): { dense: boolean; chars: string[] }[] {
  const out: { dense: boolean; chars: string[] }[] = [];
  for (const word of normalizeName(text).match(TOKEN) ?? []) {
    let run: { dense: boolean; chars: string[] } | null = null;
    for (const ch of word) {
      const dense = DENSE.test(ch);
      if (run && run.dense === dense) run.chars.push(ch);
      else {
        run = { dense, chars: [ch] };
        out.push(run);
      }
    }
  }
  return out;
}

const windows = (chars: string[], n: number) =>
  chars.length < n
    ? []
    : Array.from({ length: chars.length - n + 1 }, (_, i) => chars.slice(i, i + n).join(''));

/** Every fragment a name is found by (stored as keyed hashes). */
export function indexGrams(name: string): string[] {
  const grams = new Set<string>();
  for (const t of tokens(name)) {
    const parts = t.dense
      ? [...windows(t.chars, 1), ...windows(t.chars, 2)]
      : t.chars.length === 1
        ? [t.chars[0] as string]
        : [...windows(t.chars, 2), ...windows(t.chars, 3)];
    for (const p of parts) grams.add(p);
  }
  return [...grams];
}

export type NameQuery = { ok: true; grams: string[]; terms: string[] } | { ok: false; error: string };

/**
 * What a searched text asks for: the fragments a matching name must all have (an index probe)
 * and the terms it must contain (checked on the decrypted candidates, which drops fragments that
 * are present but apart, and hash collisions).
 */
export function nameQuery(text: string): NameQuery {
  if (text.length > 200) return { ok: false, error: 'name: too long; type a shorter part of the name' };
  const parts = tokens(text);
  if (parts.length === 0) return { ok: false, error: 'name: type a part of a name (letters or characters)' };
  const grams = new Set<string>();
  for (const t of parts) {
    if (!t.dense && t.chars.length < 2)
      return { ok: false, error: `name: "${t.chars.join('')}" is too short; type at least two letters` };
    const n = t.dense ? Math.min(2, t.chars.length) : Math.min(3, t.chars.length);
    for (const g of windows(t.chars, n)) grams.add(g);
  }
  if (grams.size > MAX_QUERY_GRAMS)
    return { ok: false, error: 'name: too long; type a shorter part of the name' };
  return { ok: true, grams: [...grams], terms: parts.map((t) => t.chars.join('')) };
}

/** Whether a decrypted name contains every term of the query. */
export function nameMatches(name: string, terms: readonly string[]): boolean {
  const n = normalizeName(name);
  return terms.every((t) => n.includes(t));
}

/** Whether a listed customer's name has every word searched (always, without a name search). */
export function nameFits(
  keys: KeyRing,
  row: { name_enc: Buffer | null },
  terms: readonly string[] | null,
): boolean {
  return !terms || (row.name_enc !== null && nameMatches(keys.decrypt(row.name_enc), terms));
}
