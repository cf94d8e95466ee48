/** Days of the week, as workflows name them. */
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

import { addDays, localParts, timeOfDay, zonedToInstant } from './zoned.ts';

const DAY_INDEX: Record<Weekday, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

/**
 * The first moment at or after `now` when the wall clock in `zone` reads `at`, on one of
 * `weekdays` (any day when omitted).
 */
export function nextLocalTime(now: Date, zone: string, at: string, weekdays?: Weekday[]): Date {
  const { hour, minute } = timeOfDay(at);
  const allowed = weekdays?.length ? new Set(weekdays.map((d) => DAY_INDEX[d])) : null;
  const today = localParts(now, zone);
  for (let offset = 0; offset <= 8; offset++) {
    const date = addDays(today, offset);
    const weekday = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
    if (allowed && !allowed.has(weekday)) continue;
    const candidate = zonedToInstant({ ...date, hour, minute }, zone);
    if (candidate.getTime() >= now.getTime()) return candidate;
  }
  // Unreachable with at least one allowed weekday; a week later is the safe answer.
  return new Date(now.getTime() + 7 * 86_400_000);
}
