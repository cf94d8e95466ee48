import { HttpError } from './http.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The `next` cursor of a list paged by a time and a uuid (a task's due date, a complaint's arrival). */
export const timeCursor = (at: Date, id: string): string => `${at.toISOString()}_${id}`;

/** A cursor `timeCursor` made, read back; anything else is a 400 naming `after`. */
export function parseTimeCursor(raw: string): { at: Date; id: string } {
  const [iso, id] = raw.split('_');
  const at = new Date(iso ?? '');
  if (Number.isNaN(at.getTime()) || !id || !UUID.test(id))
    throw new HttpError(400, 'bad_request', 'after: not a cursor this list gave');
  return { at, id };
}

/**
 * A date-time given in a query (`from`, `to`, `before`), as a Date; anything else, or a year the
 * database cannot store (before 1 or after 9999), is a 400 naming the parameter.
 */
export function dateParam(name: string, raw: string): Date {
  const at = new Date(raw);
  const year = at.getUTCFullYear();
  if (!raw || Number.isNaN(at.getTime()) || year < 1 || year > 9999)
    throw new HttpError(400, 'bad_request', `${name} must be a date-time such as 2026-12-01T00:00:00+08:00`);
  return at;
}
