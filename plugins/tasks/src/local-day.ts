import { addDays, localParts, zonedToInstant } from '@tend/plugin-sdk/time';

/** When the day that is `now` in `zone` ends (the next local midnight): "due today" ends there. */
export function endOfLocalDay(now: Date, zone: string): Date {
  return zonedToInstant({ ...addDays(localParts(now, zone), 1), hour: 0, minute: 0 }, zone);
}
