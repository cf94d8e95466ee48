import { sql } from 'kysely';
import type { Db } from './db.ts';

/**
 * Positions in the primary's write-ahead log (`0/16B3748`), as numbers: how a replica's reads are
 * held to what a caller has already seen. A replica applies the log in order, so everything
 * written before a position is visible there once it has replayed past it.
 */
export function walPosition(text: string): bigint | null {
  const m = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i.exec(text.trim());
  if (!m) return null;
  return (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`);
}

export function walText(position: bigint): string {
  return `${(position >> 32n).toString(16).toUpperCase()}/${(position & 0xffffffffn).toString(16).toUpperCase()}`;
}

/** Where the primary's log ends now: everything committed before this call lies before it. */
export async function writtenPosition(db: Db): Promise<bigint> {
  const { rows } = await sql<{ lsn: string }>`SELECT pg_current_wal_lsn()::text AS lsn`.execute(db);
  return walPosition(rows[0]?.lsn ?? '') ?? 0n;
}

/** How far a replica has applied the primary's log; null when `db` is not a replica. */
export async function replayedPosition(db: Db): Promise<bigint | null> {
  const { rows } = await sql<{ lsn: string | null }>`SELECT pg_last_wal_replay_lsn()::text AS lsn`.execute(
    db,
  );
  const lsn = rows[0]?.lsn;
  return lsn ? walPosition(lsn) : null;
}
