import { isTimeZone } from '@tend/plugin-sdk/time';
import { CronExpressionParser } from 'cron-parser';
import type { Occurrence, TriggerKindModule } from '../types.ts';

/** How late a schedule occurrence may still fire (an engine that was down catches up). */
const GRACE_MS = 6 * 3_600_000;
/** At most this many missed occurrences are caught up, oldest first. */
const CATCH_UP = 24;

/**
 * `trigger: { schedule: { cron, tz } }`: fires at cron times, for everyone in a fixed zone
 * (`tz: Asia/Shanghai`) or in each customer's own (`tz: customer`, the default).
 */
export const scheduleKind: TriggerKindModule<'schedule'> = {
  kind: 'schedule',
  repeats: true,
  check: (t) =>
    t.schedule.tz && t.schedule.tz !== 'customer' && !isTimeZone(t.schedule.tz)
      ? [
          {
            path: ['schedule', 'tz'],
            message: `"${t.schedule.tz}" is not a time zone: use customer or an IANA zone such as Asia/Shanghai`,
          },
        ]
      : [],
  describe: (t) => `the schedule "${t.schedule.cron}"`,
  starts: {
    by: 'time',
    fixedZone: (t) => (t.schedule.tz && t.schedule.tz !== 'customer' ? t.schedule.tz : null),
    catchesUp: true,
    // Cron times since the last one done (or since publishing), at most a grace back, at most
    // a few dozen.
    due(t, zone, now, notBefore, lastDone) {
      const from = Math.max(
        now.getTime() - GRACE_MS,
        (notBefore?.getTime() ?? 0) - 1000,
        (lastDone?.getTime() ?? 0) + 1,
      );
      const times = CronExpressionParser.parse(t.schedule.cron, {
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
    },
  },
};
