/**
 * Time, one library for the engine, the SDK, the plugins and the editor (`@tend/plugin-sdk/time`):
 * durations, wall clocks in IANA time zones, local times of day on weekdays, quiet hours, and
 * Chinese calendar dates.
 */
export { chineseDate } from './chinese-date.ts';
export {
  DURATION_PATTERN,
  type DurationResult,
  durationMs,
  MAX_DURATION_MS,
  parseDuration,
} from './duration.ts';
export { nextLocalTime, type Weekday } from './next-local-time.ts';
export { isTimeZone } from './time-zone.ts';
export {
  addDays,
  type LocalParts,
  localParts,
  monthsAround,
  quietUntil,
  timeOfDay,
  zonedToInstant,
  zoneOffsetMs,
} from './zoned.ts';
