import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createSecretKey,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';

const VERSION = 1;
const IV = 12;
const TAG = 16;
const ID = 4;

/** A key's short identity, stored with each ciphertext so old keys can still decrypt. */
const keyId = (key: Buffer) => createHash('sha256').update(key).digest().subarray(0, ID);

/**
 * Field encryption for personal data (AES-256-GCM) and the keyed hashes that let Tend look a
 * customer up by email or phone without storing them in clear. The current key encrypts; old
 * keys (during a rotation) still decrypt and still find.
 *
 * Keys are held as KeyObjects: given a Buffer, node:crypto makes one on every call, which took
 * more than half of an encryption's time and four fifths of a keyed hash's (10 against 23 µs, and
 * 2.5 against 13 µs, on this kind of machine).
 */
export class KeyRing {
  readonly #current: KeyObject;
  readonly #currentId: Buffer;
  readonly #byId = new Map<string, KeyObject>();
  readonly #lookupKeys: KeyObject[];
  readonly #gramKeys: KeyObject[];

  constructor(current: Buffer, old: Buffer[] = []) {
    for (const key of [current, ...old]) {
      if (key.length !== 32) throw new Error('encryption keys are 32 bytes (base64 or hex)');
      this.#byId.set(keyId(key).toString('hex'), createSecretKey(key));
    }
    this.#current = createSecretKey(current);
    this.#currentId = keyId(current);
    this.#lookupKeys = [current, ...old].map((k) =>
      createSecretKey(Buffer.from(hkdfSync('sha256', k, '', 'tend-lookup', 32))),
    );
    // A key of their own: a fragment's hash never equals an email's or a phone's.
    this.#gramKeys = [current, ...old].map((k) =>
      createSecretKey(Buffer.from(hkdfSync('sha256', k, '', 'tend-name-grams', 32))),
    );
  }

  encrypt(plain: string): Buffer {
    const iv = randomBytes(IV);
    const cipher = createCipheriv('aes-256-gcm', this.#current, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), this.#currentId, iv, cipher.getAuthTag(), body]);
  }

  decrypt(data: Buffer): string {
    if (data[0] !== VERSION) throw new Error('unknown ciphertext version');
    const id = data.subarray(1, 1 + ID).toString('hex');
    const key = this.#byId.get(id);
    if (!key) throw new Error(`no key ${id} to decrypt this value (was an old key dropped too early?)`);
    const iv = data.subarray(1 + ID, 1 + ID + IV);
    const tag = data.subarray(1 + ID + IV, 1 + ID + IV + TAG);
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data.subarray(1 + ID + IV + TAG)), decipher.final()]).toString(
      'utf8',
    );
  }

  /** True when a ciphertext was made with an old key (a rotation still has to rewrite it). */
  isStale(data: Buffer): boolean {
    return !data.subarray(1, 1 + ID).equals(this.#currentId);
  }

  /** The lookup hash under the current key (what is stored). */
  lookup(normalized: string): Buffer {
    return hmac(this.#lookupKeys[0] as KeyObject, normalized);
  }

  /** Lookup hashes under every key: during a rotation a value may still carry an old one. */
  lookupAll(normalized: string): Buffer[] {
    return this.#lookupKeys.map((k) => hmac(k, normalized));
  }

  /**
   * Name fragments' hashes under the current key, cut to 32 bits (a signed int4): a collision
   * only adds a candidate that the check on the decrypted name drops.
   */
  gramHashes(grams: readonly string[]): number[] {
    return grams.map((g) => hmac(this.#gramKeys[0] as KeyObject, g).readInt32BE(0));
  }

  /** The same under every key (one list per key): during a rotation a name may carry old ones. */
  gramHashesAll(grams: readonly string[]): number[][] {
    return this.#gramKeys.map((k) => grams.map((g) => hmac(k, g).readInt32BE(0)));
  }
}

const hmac = (key: KeyObject, value: string) => createHmac('sha256', key).update(value).digest();

/** Reads a key given as 64 hex characters or base64 (of 32 bytes). */
export function parseKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32)
    throw new Error('an encryption key is 32 bytes, written as 64 hex characters or base64');
  return key;
}
