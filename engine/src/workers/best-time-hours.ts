import { isTimeZone, localParts } from '@tend/plugin-sdk/time';
import type { CompiledWorkflow } from '../compiler/compile.ts';
import type { CustomerView } from '../customers/types.ts';
import { usesBestTime } from '../definitions/best-time.ts';
import type { Db } from '../store/db.ts';
import {
  baseEngagementSample,
  engagementTimes,
  type HourCounts,
  type HourProfile,
} from '../store/engagement-hours.ts';
import { readState, writeState } from '../store/engine-state.ts';
import type { RuntimeDeps } from './deps.ts';

const DAY_MS = 86_400_000;
/** A customer's habits are read from their last year, at most this many engagements. */
const OWN_LOOKBACK_MS = 365 * DAY_MS;
const OWN_PER_CUSTOMER = 200;
/** The base's pattern: a sample of the last quarter's engagements, counted again every 6 hours. */
const BASE_LOOKBACK_MS = 90 * DAY_MS;
const BASE_SAMPLE = 50_000;
const BASE_REFRESH_MS = 6 * 3_600_000;
/** Where the base's pattern is kept between processes (engine_state). */
export const BASE_HOURS_STATE = 'best-time.base-hours';

type Deps = Pick<RuntimeDeps, 'db' | 'lifecycle' | 'config' | 'now'>;
interface BaseRecord {
  at: string;
  counts: HourCounts;
  sample: number;
}

/** The engagements best-time waits learn from: opens and clicks of messages, and orders. */
export const engagementTypes = (deps: Pick<RuntimeDeps, 'lifecycle'>) => [
  'message.opened',
  'message.clicked',
  deps.lifecycle.orders.event,
];

/** The base's pattern as last counted by this process, per database. */
const remembered = new WeakMap<Db, BaseRecord>();

/**
 * The customers (with their zone: theirs or the installation's) whose runs are in a journey with
 * a best-time wait: only they need their hours read.
 */
export function bestTimeCustomers(
  deps: Pick<RuntimeDeps, 'config'>,
  runs: Iterable<{ customerId: string; workflow: CompiledWorkflow | undefined }>,
  customers: Map<string, CustomerView>,
): { id: string; zone: string }[] {
  const out = new Map<string, string>();
  for (const r of runs) {
    if (!r.workflow || !usesBestTime(r.workflow.def)) continue;
    out.set(r.customerId, customers.get(r.customerId)?.timezone ?? deps.config.defaultTimezone);
  }
  return [...out].map(([id, zone]) => ({ id, zone }));
}

/**
 * The hour profiles of these customers: their own engagements by local hour, and the base's.
 * `db` reads their events (a transaction's, say); the base's pattern is kept through `deps.db`.
 */
export async function hourProfiles(
  deps: Deps,
  db: Db,
  customers: { id: string; zone: string }[],
): Promise<Map<string, HourProfile>> {
  const out = new Map<string, HourProfile>();
  if (customers.length === 0) return out;
  const base = await baseHours(deps, deps.now());
  for (const [id, own] of await ownHours(deps, db, customers)) out.set(id, { own, base });
  return out;
}

/** These customers' engagements of the last year by local hour in their zone (`zone`). */
export async function ownHours(
  deps: Pick<RuntimeDeps, 'lifecycle' | 'now'>,
  db: Db,
  customers: { id: string; zone: string }[],
): Promise<Map<string, HourCounts>> {
  const out = new Map(customers.map((c) => [c.id, emptyCounts()]));
  const zones = new Map(customers.map((c) => [c.id, c.zone]));
  const times = await engagementTimes(
    db,
    [...zones.keys()],
    engagementTypes(deps),
    new Date(deps.now().getTime() - OWN_LOOKBACK_MS),
    OWN_PER_CUSTOMER,
  );
  for (const t of times) {
    add(out.get(t.customerId) as HourCounts, localParts(t.at, zones.get(t.customerId) as string).hour);
  }
  return out;
}

/** The base's engagements by local hour: this process's count while fresh, else the shared one. */
async function baseHours(deps: Deps, now: Date): Promise<HourCounts> {
  const db = deps.db;
  const fresh = (r: BaseRecord | null | undefined): r is BaseRecord =>
    !!r && Math.abs(now.getTime() - Date.parse(r.at)) < BASE_REFRESH_MS;
  const mine = remembered.get(db);
  if (fresh(mine)) return mine.counts;
  const shared = await readState<BaseRecord>(db, BASE_HOURS_STATE);
  const record = fresh(shared) ? shared : await countBase(deps, db, now);
  remembered.set(db, record);
  return record.counts;
}

async function countBase(deps: Deps, db: Db, now: Date): Promise<BaseRecord> {
  const sample = await baseEngagementSample(
    db,
    engagementTypes(deps),
    new Date(now.getTime() - BASE_LOOKBACK_MS),
    BASE_SAMPLE,
  );
  const counts = emptyCounts();
  for (const e of sample) {
    const zone = e.zone && isTimeZone(e.zone) ? e.zone : deps.config.defaultTimezone;
    add(counts, localParts(e.at, zone).hour);
  }
  const record = { at: now.toISOString(), counts, sample: sample.length };
  await writeState(db, BASE_HOURS_STATE, record, now);
  return record;
}

const emptyCounts = (): HourCounts => Array.from({ length: 24 }, () => 0);
const add = (counts: HourCounts, hour: number) => {
  counts[hour] = (counts[hour] ?? 0) + 1;
};
