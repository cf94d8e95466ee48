import { zonedToInstant } from '@tend/plugin-sdk/time';

/** `datetime-local` text (the viewer's wall clock) → the moment, in the viewer's zone. */
export function fromLocalInput(text: string, zone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  return zonedToInstant({ year, month, day, hour, minute }, zone);
}
