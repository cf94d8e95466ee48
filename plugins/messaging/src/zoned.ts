/** Wall-clock arithmetic in IANA time zones (Intl only), for quiet hours. */

const formatters = new Map<string, Intl.DateTimeFormat>();

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
    });
    formatters.set(zone, f);
  }
  return f;
}

export interface Local {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function localOf(instant: Date, zone: string): Local {
  const p: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(instant)) p[part.type] = Number(part.value);
  return {
    year: p.year ?? 0,
    month: p.month ?? 1,
    day: p.day ?? 1,
    hour: p.hour ?? 0,
    minute: p.minute ?? 0,
    second: p.second ?? 0,
  };
}

/** The instant a local wall-clock time happens in `zone` (the later one in a DST gap). */
export function instantOf(local: Omit<Local, 'second'>, zone: string): Date {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  let guess = wall;
  for (let i = 0; i < 3; i++) {
    const seen = localOf(new Date(guess), zone);
    const seenWall = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute, seen.second);
    const diff = wall - seenWall;
    if (diff === 0) break;
    guess += diff;
  }
  return new Date(guess);
}

/** `HH:MM` → minutes after midnight. */
export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/**
 * When a quiet window (`from`–`to`, local, may span midnight) that contains `now` ends; null
 * when `now` is outside it.
 */
export function quietUntil(now: Date, zone: string, from: string, to: string): Date | null {
  const local = localOf(now, zone);
  const minute = local.hour * 60 + local.minute;
  const start = minutesOf(from);
  const end = minutesOf(to);
  if (start === end) return null;
  const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (!inside) return null;
  // The window ends today if its end is still ahead on the local clock, else tomorrow.
  const day = new Date(Date.UTC(local.year, local.month - 1, local.day + (minute < end ? 0 : 1)));
  return instantOf(
    {
      year: day.getUTCFullYear(),
      month: day.getUTCMonth() + 1,
      day: day.getUTCDate(),
      hour: Math.floor(end / 60),
      minute: end % 60,
    },
    zone,
  );
}
