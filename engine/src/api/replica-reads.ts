import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { badRequest } from '../errors.ts';
import type { Db } from '../store/db.ts';
import { replayedPosition, walPosition, walText, writtenPosition } from '../store/wal-position.ts';
import type { AppEnv } from './app-env.ts';
import type { SeenUpTo } from './shared-answer.ts';

/** What a caller has seen: a header for API clients, a cookie for the editor. */
export const READ_AFTER_HEADER = 'X-Tend-Read-After';
export const READ_POSITION_HEADER = 'X-Tend-Read-Position';
export const READ_FROM_HEADER = 'X-Tend-Read-From';
const READ_AFTER_COOKIE = 'tend_read_after';

/** The database a read that tolerates a little lag goes to, and what its caller has seen. */
export interface LaggingReads {
  db: Db;
  from: 'primary' | 'replica';
  /** For shared answers: computed before what the caller has seen, they are computed again. */
  seen: SeenUpTo | undefined;
}

/**
 * With `DATABASE_READ_URL`: reads that tolerate a little lag (dashboards, live view, lists,
 * results, exports) go to the replica — unless it has not yet replayed what this caller has
 * already seen, so nobody sees a run or a count go backwards (monotonic reads, read-your-writes).
 * Each answer carries the log position the caller has now seen (`X-Tend-Read-Position`, and a
 * cookie for the editor); an API client sends it back as `X-Tend-Read-After`. A replica that
 * cannot be reached leaves the reads on the primary. Without a replica, nothing of this runs.
 */
export const replicaReads = createMiddleware<AppEnv>(async (c, next) => {
  const { db, replica } = c.var.services;
  if (!replica) {
    c.set('readsThatMayLag', async () => ({ db, from: 'primary', seen: undefined }));
    return next();
  }
  const seenBefore = callerPosition(c);
  let chosen = null as Promise<LaggingReads> | null;
  const choose = async (): Promise<LaggingReads> => {
    const at = await replayedPosition(replica).catch(() => null);
    if (at !== null && at >= seenBefore) {
      return { db: replica, from: 'replica', seen: { after: seenBefore, position: replayedNow(replica) } };
    }
    return { db, from: 'primary', seen: { after: seenBefore, position: () => writtenPosition(db) } };
  };
  c.set('readsThatMayLag', () => {
    chosen ??= choose();
    return chosen;
  });
  await next();
  // Where the caller stands now: at most what the database that answered holds (its position
  // after the answer), never less than before.
  const from = chosen ? (await chosen).from : 'primary';
  const now =
    from === 'replica'
      ? await replayedPosition(replica).catch(() => null)
      : await writtenPosition(db).catch(() => null);
  if (now === null) return;
  // biome-ignore lint/complexity/useMathMinMax: Math.max takes no bigints
  const position = walText(now > seenBefore ? now : seenBefore);
  c.header(READ_POSITION_HEADER, position);
  if (chosen) c.header(READ_FROM_HEADER, from);
  setCookie(c, READ_AFTER_COOKIE, position, { path: '/api', httpOnly: true, sameSite: 'Strict' });
});

/** The database for a read that tolerates a little lag (see replicaReads). */
export const readsThatMayLag = (c: Context<AppEnv>): Promise<LaggingReads> => c.var.readsThatMayLag();

function callerPosition(c: Context<AppEnv>): bigint {
  const header = c.req.header(READ_AFTER_HEADER);
  if (header !== undefined) {
    const position = walPosition(header);
    if (position === null) {
      throw badRequest(
        `${READ_AFTER_HEADER}: "${header}" is not a position Tend gave (send back ${READ_POSITION_HEADER}, such as 0/16B3748)`,
      );
    }
    return position;
  }
  // A cookie this engine set; a mangled one only loses the caller's place.
  return walPosition(getCookie(c, READ_AFTER_COOKIE) ?? '') ?? 0n;
}

const replayedNow = (replica: Db) => async () => (await replayedPosition(replica)) ?? 0n;
