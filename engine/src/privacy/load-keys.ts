import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { KeyRing, parseKey } from './key-ring.ts';

/**
 * The installation's key ring: TEND_ENCRYPTION_KEY (and TEND_ENCRYPTION_OLD_KEYS during a
 * rotation) or, when unset, a key file kept in the data folder (created on first start). The
 * key file suits a single machine; a deployment sets the variable from its secret store.
 */
export async function loadKeyRing(config: Config, log: Logger): Promise<KeyRing> {
  if (config.encryptionKey) {
    return new KeyRing(parseKey(config.encryptionKey), config.encryptionOldKeys.map(parseKey));
  }
  const file = path.join(config.dataDir, 'encryption.key');
  if (!existsSync(file)) {
    await mkdir(config.dataDir, { recursive: true });
    await writeFile(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' }).catch(
      (error) => {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      },
    );
    log.warn(
      `created an encryption key for personal data in ${file}: back it up with the database, or set TEND_ENCRYPTION_KEY`,
    );
  }
  return new KeyRing(parseKey(await readFile(file, 'utf8')), config.encryptionOldKeys.map(parseKey));
}
