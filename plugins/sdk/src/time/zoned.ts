/** Wall-clock arithmetic in IANA time zones (Intl only), for the engine, plugins and the editor. */

/** Wall-clock parts of an instant in a time zone. `weekday`: 0 = Sunday … 6 = Saturday. */
export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall clock in `zone` at `instant`. */
export function localParts(instant: Date, zone: string): LocalParts {
  const parts: Record<string, string> = {};
  for (const p of formatter(zone).formatToParts(instant)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS[parts.weekday ?? 'Sun'] ?? 0,
  };
}

/** Offset of `zone` from UTC at `instant`, in ms (UTC+8 → +28 800 000). */
export function zoneOffsetMs(instant: Date, zone: string): number {
  const p = localParts(instant, zone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * The instant at which the wall clock in `zone` shows this local time. A time skipped by a DST
 * change moves forward by the gap; a repeated one takes its first occurrence.
 */
export function zonedToInstant(
  local: { year: number; month: number; day: number; hour: number; minute: number; second?: number },
  zone: string,
): Date {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second ?? 0);
  const first = wall - zoneOffsetMs(new Date(wall), zone);
  const second = wall - zoneOffsetMs(new Date(first), zone);
  if (first === second) return new Date(first);
  // Offsets disagree near a transition: prefer the candidate whose wall clock matches; for a gap
  // neither does, and the later one is the time "moved forward".
  const matches = (t: number) => {
    const p = localParts(new Date(t), zone);
    return p.hour === local.hour && p.minute === local.minute;
  };
  if (matches(Math.min(first, second))) return new Date(Math.min(first, second));
  if (matches(Math.max(first, second))) return new Date(Math.max(first, second));
  return new Date(Math.max(first, second));
}

/** Adds whole days to a calendar date (no zone involved). */
export function addDays(date: { year: number; month: number; day: number }, days: number) {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Parses "HH:MM". */
export function timeOfDay(text: string): { hour: number; minute: number } {
  const [h, m] = text.split(':').map(Number);
  return { hour: h ?? 0, minute: m ?? 0 };
}

/**
 * When a quiet window (`from`–`to`, local "HH:MM", may span midnight) that contains `now` ends;
 * null when `now` is outside it (or the window is empty).
 */
export function quietUntil(now: Date, zone: string, from: string, to: string): Date | null {
  const local = localParts(now, zone);
  const minute = local.hour * 60 + local.minute;
  const minutes = (hhmm: string) => {
    const t = timeOfDay(hhmm);
    return t.hour * 60 + t.minute;
  };
  const start = minutes(from);
  const end = minutes(to);
  if (start === end) return null;
  const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (!inside) return null;
  // The window ends today if its end is still ahead on the local clock, else tomorrow.
  const day = addDays(local, minute < end ? 0 : 1);
  return zonedToInstant({ ...day, hour: Math.floor(end / 60), minute: end % 60 }, zone);
}

/**
 * The calendar month `now` falls in, in `zone`: where the previous, this and the next month
 * start, and the names (YYYY-MM) of this and the previous month.
 */
export function monthsAround(now: Date, zone: string) {
  const p = localParts(now, zone);
  const start = (year: number, month: number) => {
    const y = year + Math.floor((month - 1) / 12);
    const m = ((((month - 1) % 12) + 12) % 12) + 1;
    return {
      at: zonedToInstant({ year: y, month: m, day: 1, hour: 0, minute: 0 }, zone),
      label: `${y}-${String(m).padStart(2, '0')}`,
    };
  };
  const last = start(p.year, p.month - 1);
  const current = start(p.year, p.month);
  return {
    lastMonth: last.at,
    thisMonth: current.at,
    nextMonth: start(p.year, p.month + 1).at,
    thisLabel: current.label,
    lastLabel: last.label,
  };
}
