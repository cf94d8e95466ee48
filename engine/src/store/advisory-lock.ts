import { sql } from 'kysely';
import type { Db } from './db.ts';

/**
 * Runs `work` on one connection while holding the session advisory lock `name`, or does nothing
 * (null) when another process holds it: the background jobs one process at a time must do. The
 * lock is let go when the work ends, thrown or not.
 */
export function whileHolding<T>(db: Db, name: string, work: (conn: Db) => Promise<T>): Promise<T | null> {
  return db.connection().execute(async (conn) => {
    const got = await sql<{ ok: boolean }>`SELECT pg_try_advisory_lock(hashtext(${name})) AS ok`.execute(
      conn,
    );
    if (!got.rows[0]?.ok) return null;
    try {
      return await work(conn);
    } finally {
      await sql`SELECT pg_advisory_unlock(hashtext(${name}))`.execute(conn);
    }
  });
}
