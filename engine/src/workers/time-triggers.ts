import { CronExpressionParser } from 'cron-parser';
import { compiledVersions, versionKey } from '../catalog/compiled-versions.ts';
import type { PublishedWorkflow } from '../catalog/published-workflows.ts';
import { recomputeLifecycle } from '../lifecycle/stages.ts';
import type { Db } from '../store/db.ts';
import { readState, writeState } from '../store/engine-state.ts';
import { customerZones } from '../store/time-zones.ts';
import { lastScheduleDone, markOccurrenceDone, occurrenceDone } from '../store/trigger-fires.ts';
import { listPublished } from '../store/workflows.ts';
import { dueOccurrences, isTimeTrigger, type Occurrence } from '../triggers/occurrences.ts';
import { catchesUp, fixedZone } from '../triggers/registry.ts';
import type { TriggerKind } from '../triggers/types.ts';
import { bulkEnroll } from './bulk-enroll.ts';
import type { RuntimeDeps } from './deps.ts';

export interface Fired {
  workflow: string;
  occurrence: string;
  zone: string;
  considered: number;
  enrolled: number;
}

const ZONES_TTL_MS = 30_000;
/**
 * The customers' zones, read again after 30 s of the machine's time (performance.now) or when
 * the engine's clock moved as far either way (a test's clock jumps days at once, or back).
 */
let zoneCache: { elapsed: number; at: number; zones: (string | null)[] } | null = null;

interface DueOccurrence {
  wf: PublishedWorkflow;
  kind: TriggerKind;
  /** The zone whose customers it is for (null: customers without one), or all when not byZone. */
  stored: string | null;
  byZone: boolean;
  /** The zone the occurrence's local time is read in. */
  zone: string;
  /** Its key in trigger_occurrences. */
  zoneKey: string;
  occurrence: Occurrence;
}

/**
 * Fires the time triggers (schedule, date, lunar) that are due at `now`, zone by zone, each
 * occurrence once per customer. Safe to run from several processes at once. A paused journey's
 * occurrences wait: its resume fires them (admit) or skips them.
 */
export async function sweepTimeTriggers(deps: RuntimeDeps, now: Date, stop?: AbortSignal): Promise<Fired[]> {
  const fired: Fired[] = [];
  for (const due of await dueOccurrencesOf(deps, deps.db, now)) {
    if (stop?.aborted) break;
    if (due.wf.paused) continue;
    const { wf, occurrence, kind, zone } = due;
    const result = await bulkEnroll(
      deps,
      {
        wf,
        occurrence: occurrence.id,
        triggerType: `trigger.${kind}`,
        zone: due.stored,
        byZone: due.byZone,
        audience: occurrence.audience,
        localZone: zone,
      },
      now,
      (p) => {
        if (p.considered % 50_000 < 5000)
          deps.log.info(
            `enrolling ${wf.workflowId} (${occurrence.id}, ${zone}): ${p.enrolled} of ${p.considered} so far`,
          );
      },
      stop,
    );
    // Stopped midway: the next sweep goes on from the customers not claimed yet.
    if (result.stopped) break;
    await markOccurrenceDone(deps.db, wf.workflowId, due.zoneKey, occurrence.id, result.enrolled, now);
    fired.push({
      workflow: wf.workflowId,
      occurrence: occurrence.id,
      zone,
      considered: result.considered,
      enrolled: result.enrolled,
    });
  }
  return fired;
}

/** Marks the occurrences a paused journey missed as done without enrolling anyone. */
export async function skipMissedOccurrences(
  deps: RuntimeDeps,
  db: Db,
  workflowId: string,
  now: Date,
): Promise<number> {
  const due = (await dueOccurrencesOf(deps, db, now)).filter((d) => d.wf.workflowId === workflowId);
  for (const d of due) await markOccurrenceDone(db, workflowId, d.zoneKey, d.occurrence.id, 0, now, true);
  return due.length;
}

/** Every time-trigger occurrence due at `now` and not done yet, per journey and zone. */
async function dueOccurrencesOf(deps: RuntimeDeps, db: Db, now: Date): Promise<DueOccurrence[]> {
  const published = (await listPublished(db)).filter((p) => p.publishedAt !== null);
  const compiled = await compiledVersions(
    db,
    published.map((p) => ({ workflowId: p.id, version: p.version })),
  );
  const timed = published
    .map((p) => ({ p, c: compiled.get(versionKey(p.id, p.version)) }))
    .filter((x) => x.c && isTimeTrigger(x.c.trigger));
  if (timed.length === 0) return [];
  if (
    !zoneCache ||
    performance.now() - zoneCache.elapsed > ZONES_TTL_MS ||
    Math.abs(now.getTime() - zoneCache.at) > ZONES_TTL_MS
  )
    zoneCache = { elapsed: performance.now(), at: now.getTime(), zones: await customerZones(db) };
  const out: DueOccurrence[] = [];
  for (const { p, c } of timed) {
    if (!c) continue;
    const wf: PublishedWorkflow = { workflowId: p.id, version: p.version, compiled: c, paused: p.paused };
    const { trigger } = c;
    const fixed = fixedZone(trigger);
    const groups = fixed
      ? [{ zone: fixed, stored: null as string | null, byZone: false, key: '*' }]
      : zoneCache.zones.map((z) => ({
          zone: z ?? deps.config.defaultTimezone,
          stored: z,
          byZone: true,
          key: z ?? '',
        }));
    const { kind } = trigger;
    for (const g of groups) {
      const lastDone = catchesUp(trigger) ? await lastScheduleDone(db, p.id, g.key) : null;
      for (const occurrence of dueOccurrences(trigger, g.zone, now, p.publishedAt, lastDone)) {
        if (await occurrenceDone(db, p.id, g.key, occurrence.id)) continue;
        out.push({ wf, kind, stored: g.stored, byZone: g.byZone, zone: g.zone, zoneKey: g.key, occurrence });
      }
    }
  }
  return out;
}

/** Where the scheduled lifecycle recompute records when it last ran (predictions follow it). */
export const RECOMPUTED = 'lifecycle.recomputed';

/** Runs the lifecycle recompute when its cron time has passed since the last one (or never ran). */
export async function recomputeWhenDue(deps: RuntimeDeps, now: Date): Promise<boolean> {
  const last = await readState<{ at: string }>(deps.db, RECOMPUTED);
  const due = CronExpressionParser.parse(deps.lifecycle.recompute, {
    currentDate: now,
    tz: deps.config.defaultTimezone,
  })
    .prev()
    .toDate();
  if (last && Date.parse(last.at) >= due.getTime()) return false;
  const result = await recomputeLifecycle(deps.db, deps.boss, deps.customers, deps.lifecycle, now);
  await writeState(deps.db, RECOMPUTED, { at: now.toISOString(), ...result }, now);
  deps.log.info(`lifecycle recomputed: ${result.buyers} buyers, ${result.stageChanges} stage changes`);
  return true;
}
