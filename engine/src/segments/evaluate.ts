import { evaluateCondition } from '@tend/plugin-sdk/cel';
import type { PgBoss } from 'pg-boss';
import type { CustomerCodec } from '../customers/codec.ts';
import type { CustomerView } from '../customers/types.ts';
import { customerPage } from '../store/customer-scans.ts';
import { loadingCustomers } from '../store/customers.ts';
import type { Db } from '../store/db.ts';
import { storeEvents, toRows } from '../store/ingest.ts';
import { together } from '../store/pipeline.ts';
import { addMembers, membersBetween, readingMemberships, removeMembers } from '../store/segment-members.ts';
import {
  getSegment,
  markEvaluated,
  type Segment,
  type SegmentDefinition,
  segmentDefinitions,
} from '../store/segments.ts';
import { SEGMENT_ENTERED, SEGMENT_LEFT } from '../triggers/engine-events.ts';

export interface SegmentChange {
  customerId: string;
  segmentId: string;
  entered: boolean;
}

const PAGE = 2000;

/** Is this customer in the segment? A condition that cannot be evaluated counts as no. */
export function isMember(segment: Pick<Segment, 'definition'>, customer: CustomerView, now: Date): boolean {
  return evaluateCondition(segment.definition, { customer, event: null, run: {}, now }).result;
}

/**
 * Re-decides these customers' membership of every segment (after their events or a profile
 * change), inside the caller's transaction. Entering and leaving become events, so `segment:`
 * triggers start journeys.
 */
export async function evaluateCustomers(
  trx: Db,
  boss: PgBoss,
  codec: CustomerCodec,
  ids: string[],
  now: Date,
  /** The definitions, when the caller read them already (with other statements). */
  definitions?: SegmentDefinition[],
): Promise<SegmentChange[]> {
  if (ids.length === 0) return [];
  const segments = definitions ?? (await segmentDefinitions(trx));
  if (segments.length === 0) return [];
  const [rows, current] = await together(trx, [
    loadingCustomers(trx, ids),
    readingMemberships(trx, ids),
  ] as const);
  const customers = [...rows.values()].map((row) => codec.view(row));
  const changes: SegmentChange[] = [];
  for (const customer of customers) {
    const was = current.get(customer.id) ?? new Set<string>();
    for (const segment of segments) {
      const inside = isMember(segment, customer, now);
      if (inside !== was.has(segment.id))
        changes.push({ customerId: customer.id, segmentId: segment.id, entered: inside });
    }
  }
  await applyChanges(trx, boss, changes, now);
  return changes;
}

/** The full pass of one segment over the whole base, a page at a time. */
export async function evaluateSegment(
  db: Db,
  boss: PgBoss,
  codec: CustomerCodec,
  segment: Segment,
  now: Date,
): Promise<{ members: number; entered: number; left: number }> {
  let after = '';
  let entered = 0;
  let left = 0;
  for (;;) {
    const page = await customerPage(db, after, PAGE);
    if (page.length === 0) break;
    const first = page[0]?.id as string;
    after = page.at(-1)?.id as string;
    await db.transaction().execute(async (trx) => {
      const members = await membersBetween(trx, segment.id, first, after);
      const changes: SegmentChange[] = [];
      for (const row of page) {
        const inside = isMember(segment, codec.view(row), now);
        if (inside !== members.has(row.id))
          changes.push({ customerId: row.id, segmentId: segment.id, entered: inside });
      }
      await applyChanges(trx, boss, changes, now);
      entered += changes.filter((c) => c.entered).length;
      left += changes.filter((c) => !c.entered).length;
    });
  }
  await markEvaluated(db, segment.id, now);
  return { members: (await getSegment(db, segment.id))?.memberCount ?? 0, entered, left };
}

async function applyChanges(trx: Db, boss: PgBoss, changes: SegmentChange[], now: Date): Promise<void> {
  if (changes.length === 0) return;
  const pairs = (entered: boolean) =>
    changes
      .filter((c) => c.entered === entered)
      .map((c) => ({ segmentId: c.segmentId, customerId: c.customerId }));
  await addMembers(trx, pairs(true), now);
  await removeMembers(trx, pairs(false));
  const events = toRows(
    changes.map((c) => ({
      customerId: c.customerId,
      type: c.entered ? SEGMENT_ENTERED : SEGMENT_LEFT,
      data: { segment: c.segmentId },
    })),
    now,
  );
  await storeEvents(trx, boss, events, now);
}
