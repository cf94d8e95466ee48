import type { StepStore } from '@tend/plugin-sdk';
import type { Db } from './db.ts';

/** The key-value store each plugin gets (StepContext.store), one namespace per plugin. */
export function pluginStore(db: Db, plugin: string): StepStore {
  return {
    async get<T>(key: string): Promise<T | undefined> {
      const row = await db
        .selectFrom('plugin_store')
        .select('value')
        .where('plugin', '=', plugin)
        .where('key', '=', key)
        .executeTakeFirst();
      return row?.value as T | undefined;
    },
    async set(key: string, value: unknown): Promise<void> {
      const json = JSON.stringify(value);
      await db
        .insertInto('plugin_store')
        .values({ plugin, key, value: json })
        .onConflict((oc) => oc.columns(['plugin', 'key']).doUpdateSet({ value: json }))
        .execute();
    },
    async delete(key: string): Promise<void> {
      await db.deleteFrom('plugin_store').where('plugin', '=', plugin).where('key', '=', key).execute();
    },
  };
}
