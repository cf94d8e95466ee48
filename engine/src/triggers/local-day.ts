import { localParts, timeOfDay } from '@tend/plugin-sdk/time';

const DEFAULT_AT = '09:00';

/**
 * Today in `zone` for a trigger that fires once on a local day (date, lunar), or null before its
 * time of day (`at`, 09:00 unless said) has come.
 */
export function localDay(now: Date, zone: string, at: string | undefined) {
  const local = localParts(now, zone);
  const { hour, minute } = timeOfDay(at ?? DEFAULT_AT);
  if (local.hour * 60 + local.minute < hour * 60 + minute) return null;
  return {
    year: local.year,
    month: local.month,
    day: local.day,
    text: `${local.year}-${pad(local.month)}-${pad(local.day)}`,
  };
}

const pad = (n: number) => String(n).padStart(2, '0');
