import { sql } from 'kysely';
import type { Db } from './db.ts';
import { run, type Statement, statement } from './pipeline.ts';

export interface Segment {
  id: string;
  name: string;
  description: string | null;
  definition: string;
  memberCount: number;
  evaluatedAt: Date | null;
  createdBy: string | null;
  updatedAt: Date;
}

const withCount = (db: Db) =>
  db
    .selectFrom('segments as s')
    .selectAll('s')
    .select(
      sql<number>`(SELECT count(*)::int FROM segment_members m WHERE m.segment_id = s.id)`.as('member_count'),
    );

export async function listSegments(db: Db): Promise<Segment[]> {
  return (await withCount(db).orderBy('s.id').execute()).map(toSegment);
}

/** Just the definitions, for evaluating membership (no counting). */
export async function segmentDefinitions(db: Db): Promise<SegmentDefinition[]> {
  return run(db, readingSegmentDefinitions(db));
}

export interface SegmentDefinition {
  id: string;
  definition: string;
}

/** segmentDefinitions as a statement, to send with others (store/pipeline.ts). */
export function readingSegmentDefinitions(db: Db): Statement<SegmentDefinition[]> {
  return statement(
    db.selectFrom('segments').select(['id', 'definition']).orderBy('id').compile(),
    (rows) => rows,
  );
}

export async function getSegment(db: Db, id: string): Promise<Segment | null> {
  const row = await withCount(db).where('s.id', '=', id).executeTakeFirst();
  return row ? toSegment(row) : null;
}

/** Creates or replaces a segment's definition; returns whether it was new. */
export async function saveSegment(
  db: Db,
  s: { id: string; name: string; description: string | null; definition: string; createdBy: string },
  now: Date,
): Promise<boolean> {
  const r = await sql<{ created: boolean }>`
    INSERT INTO segments (id, name, description, definition, created_by, created_at, updated_at)
    VALUES (${s.id}, ${s.name}, ${s.description}, ${s.definition}, ${s.createdBy}, ${now}, ${now})
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description,
      definition = excluded.definition, updated_at = excluded.updated_at
    RETURNING (xmax = 0) AS created`.execute(db);
  return r.rows[0]?.created ?? false;
}

export async function deleteSegment(db: Db, id: string): Promise<boolean> {
  const r = await db.deleteFrom('segments').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function markEvaluated(db: Db, id: string, at: Date): Promise<void> {
  await db.updateTable('segments').set({ evaluated_at: at }).where('id', '=', id).execute();
}

function toSegment(r: {
  id: string;
  name: string;
  description: string | null;
  definition: string;
  member_count: number;
  evaluated_at: Date | null;
  created_by: string | null;
  updated_at: Date;
}): Segment {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    definition: r.definition,
    memberCount: r.member_count,
    evaluatedAt: r.evaluated_at,
    createdBy: r.created_by,
    updatedAt: r.updated_at,
  };
}
