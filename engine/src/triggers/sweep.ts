import { CronExpressionParser } from 'cron-parser';
import { recomputeLifecycle } from '../lifecycle/stages.ts';
import { bulkEnroll } from '../runtime/bulk-enroll.ts';
import { compiledVersions, versionKey } from '../runtime/definitions.ts';
import type { RuntimeDeps } from '../runtime/deps.ts';
import type { PublishedWorkflow } from '../runtime/published.ts';
import { readState, writeState } from '../store/engine-state.ts';
import { customerZones } from '../store/time-zones.ts';
import { lastScheduleDone, markOccurrenceDone, occurrenceDone } from '../store/trigger-fires.ts';
import { listPublished } from '../store/workflows.ts';
import { dueOccurrences, isTimeTrigger } from './occurrences.ts';

export interface Fired {
  workflow: string;
  occurrence: string;
  zone: string;
  considered: number;
  enrolled: number;
}

const ZONES_TTL_MS = 30_000;
let zoneCache: { at: number; zones: (string | null)[] } | null = null;

/**
 * Fires the time triggers (schedule, date, lunar) that are due at `now`, zone by zone, each
 * occurrence once per customer. Safe to run from several processes at once.
 */
export async function sweepTimeTriggers(deps: RuntimeDeps, now: Date): Promise<Fired[]> {
  const published = (await listPublished(deps.db)).filter((p) => p.publishedAt !== null);
  const compiled = await compiledVersions(
    deps.db,
    published.map((p) => ({ workflowId: p.id, version: p.version })),
  );
  const timed = published
    .map((p) => ({ p, c: compiled.get(versionKey(p.id, p.version)) }))
    .filter((x) => x.c && isTimeTrigger(x.c.def.trigger));
  if (timed.length === 0) return [];
  if (!zoneCache || Date.now() - zoneCache.at > ZONES_TTL_MS)
    zoneCache = { at: Date.now(), zones: await customerZones(deps.db) };
  const fired: Fired[] = [];
  for (const { p, c } of timed) {
    if (!c) continue;
    const wf: PublishedWorkflow = { workflowId: p.id, version: p.version, compiled: c };
    const trigger = c.def.trigger;
    const fixed =
      trigger.schedule && trigger.schedule.tz && trigger.schedule.tz !== 'customer'
        ? trigger.schedule.tz
        : null;
    const groups = fixed
      ? [{ zone: fixed, stored: null as string | null, byZone: false, key: '*' }]
      : zoneCache.zones.map((z) => ({
          zone: z ?? deps.config.defaultTimezone,
          stored: z,
          byZone: true,
          key: z ?? '',
        }));
    for (const g of groups) {
      const lastDone = trigger.schedule ? await lastScheduleDone(deps.db, p.id, g.key) : null;
      for (const occurrence of dueOccurrences(trigger, g.zone, now, p.publishedAt, lastDone)) {
        if (await occurrenceDone(deps.db, p.id, g.key, occurrence.id)) continue;
        const kind = trigger.schedule ? 'schedule' : trigger.date ? 'date' : 'lunar';
        const result = await bulkEnroll(
          deps,
          {
            wf,
            occurrence: occurrence.id,
            triggerType: `trigger.${kind}`,
            zone: g.stored,
            byZone: g.byZone,
            audience: occurrence.audience,
            localZone: g.zone,
          },
          now,
          (p2) => {
            if (p2.considered % 50_000 < 5000)
              deps.log.info(
                `enrolling ${p.id} (${occurrence.id}, ${g.zone}): ${p2.enrolled} of ${p2.considered} so far`,
              );
          },
        );
        await markOccurrenceDone(deps.db, p.id, g.key, occurrence.id, result.enrolled);
        fired.push({ workflow: p.id, occurrence: occurrence.id, zone: g.zone, ...result });
      }
    }
  }
  return fired;
}

const RECOMPUTED = 'lifecycle.recomputed';

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
  await writeState(deps.db, RECOMPUTED, { at: now.toISOString(), ...result });
  deps.log.info(`lifecycle recomputed: ${result.buyers} buyers, ${result.stageChanges} stage changes`);
  return true;
}
