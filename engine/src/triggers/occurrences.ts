import { addDays, chineseDate, durationMs, localParts, timeOfDay } from '@tend/plugin-sdk/time';
import { CronExpressionParser } from 'cron-parser';
import type { TriggerDef } from '../definitions/types.ts';

/** Which customers of a zone an occurrence is for. */
export type Audience =
  | { kind: 'all' }
  /** Customers whose date attribute falls on one of these month*100+day values. */
  | { kind: 'anniversary'; attribute: string; monthDays: number[] };

/** One firing of a time trigger in one time zone: an id (unique per workflow) and who it is for. */
export interface Occurrence {
  id: string;
  audience: Audience;
}

export const TIME_TRIGGERS = ['schedule', 'date', 'lunar'] as const;
export const isTimeTrigger = (t: TriggerDef) => TIME_TRIGGERS.some((k) => t[k] !== undefined);

/** How late a schedule occurrence may still fire (an engine that was down catches up). */
const SCHEDULE_GRACE_MS = 6 * 3_600_000;
/** At most this many missed schedule occurrences are caught up, oldest first. */
const CATCH_UP = 24;
const DEFAULT_AT = '09:00';

/**
 * The occurrences of a time trigger due in `zone` at `now`, oldest first. A schedule's cron
 * times since the last one done (or since publishing, at most a grace back, at most a few
 * dozen); a date or lunar date on its local day, once the time of day has come.
 */
export function dueOccurrences(
  trigger: TriggerDef,
  zone: string,
  now: Date,
  notBefore: Date | null,
  lastDone: Date | null,
): Occurrence[] {
  if (trigger.schedule) {
    const from = Math.max(
      now.getTime() - SCHEDULE_GRACE_MS,
      (notBefore?.getTime() ?? 0) - 1000,
      (lastDone?.getTime() ?? 0) + 1,
    );
    const times = CronExpressionParser.parse(trigger.schedule.cron, {
      currentDate: new Date(from - 1),
      tz: zone,
    });
    const due: Occurrence[] = [];
    for (;;) {
      const at = times.next().toDate();
      if (at.getTime() > now.getTime()) break;
      due.push({ id: `schedule:${at.toISOString()}`, audience: { kind: 'all' } });
    }
    return due.slice(-CATCH_UP);
  }
  const one = dueOccurrence(trigger, zone, now);
  return one ? [one] : [];
}

/** The date or lunar occurrence due today in `zone`, if its time of day has come. */
export function dueOccurrence(trigger: TriggerDef, zone: string, now: Date): Occurrence | null {
  const local = localParts(now, zone);
  const today = { year: local.year, month: local.month, day: local.day };
  const todayText = `${local.year}-${pad(local.month)}-${pad(local.day)}`;
  const { hour, minute } = timeOfDay((trigger.date ?? trigger.lunar)?.at ?? DEFAULT_AT);
  if (local.hour * 60 + local.minute < hour * 60 + minute) return null;
  if (trigger.date) {
    const offset = trigger.date.offset ? signedDays(trigger.date.offset) : 0;
    const target = addDays(today, -offset);
    const monthDays = [target.month * 100 + target.day];
    // A 29 February anniversary falls on 28 February in common years.
    if (target.month === 2 && target.day === 28 && !isLeap(target.year)) monthDays.push(229);
    return {
      id: `date:${todayText}`,
      audience: { kind: 'anniversary', attribute: trigger.date.attribute, monthDays },
    };
  }
  if (trigger.lunar) {
    const c = chineseDate(now, zone);
    if (
      c.month !== trigger.lunar.month ||
      c.day !== trigger.lunar.day ||
      c.leap !== (trigger.lunar.leap ?? false)
    )
      return null;
    return { id: `lunar:${todayText}`, audience: { kind: 'all' } };
  }
  return null;
}

/** An offset such as `0d`, `-1d`, `7d`, in whole days. */
function signedDays(offset: string): number {
  const negative = offset.trim().startsWith('-');
  const days = Math.round(durationMs(offset.replace(/^-/, '')) / 86_400_000);
  return negative ? -days : days;
}

const pad = (n: number) => String(n).padStart(2, '0');
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
