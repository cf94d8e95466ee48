import { addDays, localParts, timeOfDay, type Weekday, zonedToInstant } from '@tend/plugin-sdk/time';

/** When a team works: on these days, from–to on its own wall clock (zone). */
export interface WorkingHours {
  zone: string;
  days: Weekday[];
  /** "HH:MM", before `to` (a shift does not span midnight). */
  from: string;
  to: string;
}

const DAY_INDEX: Record<Weekday, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

/**
 * The moment `ms` of working time after `start`: a complaint received on Friday evening with
 * four working hours to answer is due on Monday morning. Time outside the hours does not count;
 * the zone's DST changes shift the hours with the wall clock.
 */
export function addWorkingTime(start: Date, ms: number, hours: WorkingHours): Date {
  const days = new Set(hours.days.map((d) => DAY_INDEX[d]));
  const from = timeOfDay(hours.from);
  const to = timeOfDay(hours.to);
  let cursor = start.getTime();
  let left = ms;
  // Two years of calendar days is far beyond any deadline: a bound against a config with no hours.
  for (let i = 0; i < 800; i++) {
    const local = localParts(new Date(cursor), hours.zone);
    const date = { year: local.year, month: local.month, day: local.day };
    const open = zonedToInstant({ ...date, ...from }, hours.zone).getTime();
    const close = zonedToInstant({ ...date, ...to }, hours.zone).getTime();
    if (days.has(local.weekday) && cursor < close) {
      const begin = Math.max(cursor, open);
      if (begin + left <= close) return new Date(begin + left);
      left -= close - begin;
    }
    const next = addDays(date, 1);
    cursor = zonedToInstant({ ...next, hour: 0, minute: 0 }, hours.zone).getTime();
  }
  throw new Error('working hours: no working time in two years (check days, from and to)');
}
