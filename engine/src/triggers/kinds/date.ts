import { addDays, durationMs, parseDuration } from '@tend/plugin-sdk/time';
import { localDay } from '../local-day.ts';
import type { TriggerKindModule } from '../types.ts';

/**
 * `trigger: { date: { attribute: birthday, offset: -7d, at: "10:00" } }`: fires on the local day
 * a date attribute comes round (birthdays, anniversaries), shifted by whole days.
 */
export const dateKind: TriggerKindModule<'date'> = {
  kind: 'date',
  repeats: true,
  check(t) {
    if (t.date.offset === undefined) return [];
    const r = parseDuration(t.date.offset.replace(/^-/, ''));
    return r.ok ? [] : [{ path: ['date', 'offset'], message: r.message }];
  },
  describe: (t) => `the date in "${t.date.attribute}"${t.date.offset ? ` ${t.date.offset}` : ''}`,
  starts: {
    by: 'time',
    fixedZone: () => null,
    catchesUp: false,
    due(t, zone, now) {
      const today = localDay(now, zone, t.date.at);
      if (!today) return [];
      const offset = t.date.offset ? signedDays(t.date.offset) : 0;
      const target = addDays(today, -offset);
      const monthDays = [target.month * 100 + target.day];
      // A 29 February anniversary falls on 28 February in common years.
      if (target.month === 2 && target.day === 28 && !isLeap(target.year)) monthDays.push(229);
      return [
        {
          id: `date:${today.text}`,
          audience: { kind: 'anniversary', attribute: t.date.attribute, monthDays },
        },
      ];
    },
  },
};

/** An offset such as `0d`, `-1d`, `7d`, in whole days. */
function signedDays(offset: string): number {
  const negative = offset.trim().startsWith('-');
  const days = Math.round(durationMs(offset.replace(/^-/, '')) / 86_400_000);
  return negative ? -days : days;
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
