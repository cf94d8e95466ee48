import { moduleOf } from './registry.ts';
import type { Occurrence, Trigger } from './types.ts';

export type { Audience, Occurrence } from './types.ts';

/** Whether runs of this trigger start at times (schedule, date, lunar), not on events. */
export const isTimeTrigger = (t: Trigger) => moduleOf(t).starts.by === 'time';

/**
 * The occurrences of a time trigger due in `zone` at `now`, oldest first: a schedule's cron times
 * since the last one done (or since publishing); a date or lunar date on its local day, once the
 * time of day has come. None for event-started triggers.
 */
export function dueOccurrences(
  trigger: Trigger,
  zone: string,
  now: Date,
  notBefore: Date | null,
  lastDone: Date | null,
): Occurrence[] {
  const { starts } = moduleOf(trigger);
  return starts.by === 'time' ? starts.due(trigger, zone, now, notBefore, lastDone) : [];
}

/** The date or lunar occurrence due today in `zone`, if its time of day has come. */
export function dueOccurrence(trigger: Trigger, zone: string, now: Date): Occurrence | null {
  return dueOccurrences(trigger, zone, now, null, null)[0] ?? null;
}
