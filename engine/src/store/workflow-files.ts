import { sql } from 'kysely';
import type { Db } from './db.ts';

/** One version of a template or survey file (paths relative to the workflows folder). */
export interface FileVersion {
  path: string;
  version: number;
  hash: string;
  content: string | null;
  createdAt: Date;
  createdBy: string | null;
  source: string | null;
  message: string | null;
}

/** Serialises writers of file versions (one transaction at a time numbers them). */
export async function lockFiles(db: Db): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('tend-workflow-files'))`.execute(db);
}

/** The latest version of every file (content only when asked: listings stay small). */
export async function latestFiles(db: Db, withContent: boolean): Promise<FileVersion[]> {
  const rows = await sql<{
    path: string;
    version: number;
    hash: string;
    content: string | null;
    created_at: Date;
    created_by: string | null;
    source: string | null;
    message: string | null;
  }>`
    SELECT DISTINCT ON (path) path, version, hash, ${withContent ? sql`content` : sql`NULL::text AS content`},
      created_at, created_by, source, message
    FROM workflow_files ORDER BY path, version DESC`.execute(db);
  return rows.rows.map(toVersion);
}

/** A file's latest version, or a given one. */
export async function fileVersion(db: Db, path: string, version?: number): Promise<FileVersion | null> {
  const row = await db
    .selectFrom('workflow_files')
    .selectAll()
    .where('path', '=', path)
    .$if(version !== undefined, (q) => q.where('version', '=', version as number))
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toVersion(row) : null;
}

/** Does any version of this file have these bytes? (A stale copy on disk, say.) */
export async function knownFileHash(db: Db, path: string, hash: string): Promise<boolean> {
  const row = await db
    .selectFrom('workflow_files')
    .select('version')
    .where('path', '=', path)
    .where('hash', '=', hash)
    .executeTakeFirst();
  return row !== undefined;
}

/** Appends a version; the caller holds lockFiles. */
export async function insertFileVersion(
  db: Db,
  f: {
    path: string;
    hash: string;
    content: string;
    createdBy: string;
    source: string;
    message: string | null;
  },
  now: Date,
): Promise<number> {
  const last = await db
    .selectFrom('workflow_files')
    .select((eb) => eb.fn.max('version').as('max'))
    .where('path', '=', f.path)
    .executeTakeFirst();
  const version = Number(last?.max ?? 0) + 1;
  await db
    .insertInto('workflow_files')
    .values({
      path: f.path,
      version,
      hash: f.hash,
      content: f.content,
      created_by: f.createdBy,
      source: f.source,
      message: f.message,
      created_at: now,
    })
    .execute();
  return version;
}

function toVersion(r: {
  path: string;
  version: number;
  hash: string;
  content: string | null;
  created_at: Date;
  created_by: string | null;
  source: string | null;
  message: string | null;
}): FileVersion {
  return {
    path: r.path,
    version: r.version,
    hash: r.hash,
    content: r.content,
    createdAt: r.created_at,
    createdBy: r.created_by,
    source: r.source,
    message: r.message,
  };
}
