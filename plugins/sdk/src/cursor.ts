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
