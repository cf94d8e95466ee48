import { chineseDate } from '@tend/plugin-sdk/time';
import { localDay } from '../local-day.ts';
import type { TriggerKindModule } from '../types.ts';

/**
 * `trigger: { lunar: { month: 8, day: 15 } }`: fires on a Chinese-calendar date (Mid-Autumn,
 * Spring Festival) in each customer's zone.
 */
export const lunarKind: TriggerKindModule<'lunar'> = {
  kind: 'lunar',
  repeats: true,
  check: () => [],
  describe: (t) => `Chinese calendar ${t.lunar.month}/${t.lunar.day}${t.lunar.leap ? ' (leap month)' : ''}`,
  starts: {
    by: 'time',
    fixedZone: () => null,
    catchesUp: false,
    due(t, zone, now) {
      const today = localDay(now, zone, t.lunar.at);
      if (!today) return [];
      const c = chineseDate(now, zone);
      const matches =
        c.month === t.lunar.month && c.day === t.lunar.day && c.leap === (t.lunar.leap ?? false);
      return matches ? [{ id: `lunar:${today.text}`, audience: { kind: 'all' } }] : [];
    },
  },
};
