import type { Config } from '../config.ts';
import { createLogger } from '../logger.ts';
import { installedPlugins } from '../plugins-host/installed-plugins.ts';
import { encryptedTablesOf } from '../plugins-host/plugin-host.ts';
import { PluginRegistry } from '../plugins-host/registry.ts';
import { openDatabase } from '../postgres/connect.ts';
import { loadKeyRing } from '../privacy/load-keys.ts';
import { rotateKeys } from '../privacy/rotate.ts';
import { createDb } from '../store/db.ts';
import { progressBar } from './progress.ts';

/**
 * `tend keys rotate`: with TEND_ENCRYPTION_KEY set to the new key and TEND_ENCRYPTION_OLD_KEYS to
 * the old one(s), re-encrypts all personal data under the new key (see docs/privacy.md).
 */
export async function runKeys(config: Config, args: string[]): Promise<number> {
  if (args[0] !== 'rotate') {
    process.stderr.write('usage: tend keys rotate\n');
    return 2;
  }
  if (config.encryptionOldKeys.length === 0) {
    process.stderr.write(
      'set TEND_ENCRYPTION_OLD_KEYS to the key(s) being replaced, and TEND_ENCRYPTION_KEY to the new one\n',
    );
    return 2;
  }
  const log = createLogger(config.logLevel, config.logFormat);
  const database = await openDatabase(config, log);
  const { db } = createDb(database.url, { max: 2 });
  try {
    const keys = await loadKeyRing(config, log);
    const total = Number(
      (
        await db
          .selectFrom('customers')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirst()
      )?.n ?? 0,
    );
    const bar = progressBar('re-encrypting', total);
    const registry = await PluginRegistry.load(installedPlugins(config));
    const result = await rotateKeys(
      db,
      keys,
      (scanned) => bar.update(scanned),
      encryptedTablesOf(registry.plugins()),
    );
    bar.done(total);
    process.stdout.write(
      `${result.rewritten.toLocaleString('en')} of ${result.scanned.toLocaleString('en')} customers and ${result.other.toLocaleString('en')} messages and tasks re-encrypted; the old key can now be removed\n`,
    );
    return 0;
  } finally {
    await db.destroy();
    await database.close();
  }
}
