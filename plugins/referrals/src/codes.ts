import { randomInt } from 'node:crypto';

/**
 * Referral codes people read aloud and type on a phone: eight characters of Crockford's base 32
 * (no I, L, O or U), shown as `XXXX-XXXX`. 32^8 ≈ 10^12 codes: guessing one that exists among a
 * million customers takes about a million tries, which the public page's rate limit makes slow.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CODE_LENGTH = 8;

export function newCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/**
 * A code as people write it, back to the stored form: case, spaces and dashes do not matter, and
 * the letters people confuse with digits (O, I, L) read as those digits. Null: not a code.
 */
export function normalizeCode(text: string): string | null {
  const code = text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (code.length !== CODE_LENGTH) return null;
  for (const ch of code) if (!ALPHABET.includes(ch)) return null;
  return code;
}

export const displayCode = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`;
