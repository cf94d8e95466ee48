import { exportLine } from '../customers/export-csv.ts';
import { nameFits } from '../privacy/name-grams.ts';
import { QUEUES } from '../queue/queues.ts';
import { evaluateCustomers } from '../segments/evaluate.ts';
import { audit } from '../store/audit-log.ts';
import {
  addExportPart,
  addTag,
  advanceBulkAction,
  type BulkActionRow,
  finishBulkAction,
  getBulkAction,
  lockInIdOrder,
  nextExportPart,
  removeTag,
} from '../store/bulk-actions.ts';
import { type CustomerFilter, listCustomers, loadCustomers } from '../store/customers.ts';
import type { Db } from '../store/db.ts';
import { eraseCustomer } from '../store/erase.ts';
import { storeEvents, toRows } from '../store/ingest.ts';
import type { RuntimeDeps } from './deps.ts';

/** Customers read and changed in one transaction. */
const PAGE = 500;
/** A job hands over to a fresh one after this long, so no job outlives its queue's expiry. */
const SLICE_MS = 60_000;

/** What a bulk action's row keeps of the list request it was made from. */
export interface BulkSelection {
  filter: Omit<CustomerFilter, 'limit'>;
  terms: string[] | null;
}

/** The action's parameters, by action. */
export type BulkParams = { tag: string } | { event: string; workflow: string } | Record<string, never>;

/**
 * Carries a bulk action on from where it stopped: a page of the filter's customers (in id order,
 * name search checked on the decrypted names), the change, and the cursor and count, in one
 * transaction. A crash repeats at most the page in flight, and every change is one that repeats
 * harmlessly: a tag is added once, an event has one id per action and customer, an erased
 * customer has left the filter.
 */
export async function runBulkAction(deps: RuntimeDeps, id: string): Promise<void> {
  const action = await getBulkAction(deps.db, id);
  if (action?.status !== 'running') return;
  const { filter, terms } = action.filter as unknown as BulkSelection;
  let after = action.after;
  const started = performance.now();
  try {
    for (;;) {
      const rows = await listCustomers(deps.db, { ...filter, ...(after ? { after } : {}), limit: PAGE });
      if (rows.length === 0) break;
      const ids = rows.filter((r) => nameFits(deps.customers.keys, r, terms)).map((r) => r.id);
      const last = (rows.at(-1) as { id: string }).id;
      await deps.db.transaction().execute(async (trx) => {
        const now = deps.now();
        if (ids.length > 0) await apply(deps, trx, action, ids, now);
        await advanceBulkAction(trx, id, last, ids.length, now);
      });
      after = last;
      if (rows.length < PAGE) break;
      if (performance.now() - started > SLICE_MS) {
        await deps.boss.send(QUEUES.bulk, { action: id });
        return;
      }
    }
    await finishBulkAction(deps.db, id, deps.now());
  } catch (error) {
    deps.log.warn('bulk action failed', { id, error });
    throw error;
  }
}

async function apply(deps: RuntimeDeps, trx: Db, action: BulkActionRow, ids: string[], now: Date) {
  const params = action.params as BulkParams;
  switch (action.action) {
    case 'tag':
    case 'untag': {
      const { tag } = params as { tag: string };
      await lockInIdOrder(trx, ids);
      await (action.action === 'tag' ? addTag : removeTag)(trx, ids, tag, now);
      // Segments that test tags follow at once, as after a profile change.
      await evaluateCustomers(trx, deps.boss, deps.customers, ids, now);
      return;
    }
    case 'start': {
      // The journey's trigger event, one per customer and action: sent twice, stored once.
      const { event, workflow } = params as { event: string; workflow: string };
      const events = ids.map((customerId) => ({
        id: `bulk-${action.id}-${customerId}`,
        customerId,
        type: event,
        data: { bulkAction: action.id, workflow },
      }));
      await storeEvents(trx, deps.boss, toRows(events, now), now);
      return;
    }
    case 'export': {
      // Built from the page's rows as read (not `ids` only): the same filter, the same order.
      const rows = await loadCustomers(trx, ids);
      const lines = ids.flatMap((customerId) => {
        const row = rows.get(customerId);
        return row ? [exportLine(deps.customers.view(row))] : [];
      });
      const part = await nextExportPart(trx, action.id);
      await addExportPart(trx, action.id, part, deps.customers.keys.encrypt(lines.join('')));
      return;
    }
    case 'erase': {
      await lockInIdOrder(trx, ids);
      for (const customerId of ids) {
        const to = await eraseCustomer(trx, customerId, now, (db, from, pseudonym) =>
          deps.plugins.erase(db, from, pseudonym),
        );
        await audit(
          trx,
          [{ actor: action.created_by, action: 'erase', entity: 'customer', entityId: to }],
          now,
        );
      }
      return;
    }
    default:
      throw new Error(`unknown bulk action "${action.action}"`);
  }
}
