import type { PluginContext } from './plugin-context.ts';
import type { Localized } from './text.ts';

/** A table of the plugin's with personal data stored encrypted (CryptoService). */
export interface EncryptedColumns {
  table: string;
  /** A unique column to page through the table by. */
  key: string;
  columns: string[];
}

/** How a plugin takes part in a person's export and erasure and in key rotation. */
export interface PrivacyHooks {
  /** Re-encrypted under the newest key by `tend keys rotate`. */
  encrypted?: EncryptedColumns[];
  /** Everything the plugin keeps about the customer, decrypted, by kind (for their export). */
  export?(customerId: string, ctx: PluginContext): Promise<Record<string, unknown>>;
  /**
   * Erases the person's data in the plugin's tables: what counts for statistics may stay under
   * `pseudonym`, what leads back to the person goes. Runs inside the erasure's transaction
   * (`ctx.db` is bound to it): throwing undoes the whole erasure.
   */
  erase?(customerId: string, pseudonym: string, ctx: PluginContext): Promise<void>;
}

/** One entry of a customer's timeline contributed by a plugin (an answer, a task, points). */
export interface TimelineEntry {
  at: Date;
  /** What kind of record: the plugin's name or one of its kinds (`survey`, `task`). */
  kind: string;
  /** What happened, short (`answered`, `open`, `award`). */
  type: string;
  /** One line for people, in the viewer's language where it matters. */
  summary: Localized;
  detail: Record<string, unknown>;
}

/** Stands in for texts that must stay non-null when their person is erased (a task's title). */
export const ERASED_TEXT = '(erased)';
