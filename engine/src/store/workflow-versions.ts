import type { Db } from './db.ts';

export interface VersionRow {
  workflowId: string;
  version: number;
  hash: string;
  yaml: string;
  createdAt: Date;
  createdBy: string | null;
  source: string | null;
  message: string | null;
}

export async function findVersionByHash(db: Db, workflowId: string, hash: string): Promise<number | null> {
  const row = await db
    .selectFrom('workflow_versions')
    .select('version')
    .where('workflow_id', '=', workflowId)
    .where('hash', '=', hash)
    .executeTakeFirst();
  return row?.version ?? null;
}

/** Appends a version; the caller holds the workflow row lock, so numbers never collide. */
export async function insertVersion(
  db: Db,
  v: {
    workflowId: string;
    hash: string;
    yaml: string;
    /** The validated definition, kept as JSON (catalog/ reads it back). */
    def: object;
    createdBy: string | null;
    source: string | null;
    message: string | null;
  },
  now: Date,
): Promise<number> {
  const last = await db
    .selectFrom('workflow_versions')
    .select((eb) => eb.fn.max('version').as('max'))
    .where('workflow_id', '=', v.workflowId)
    .executeTakeFirst();
  const version = Number(last?.max ?? 0) + 1;
  await db
    .insertInto('workflow_versions')
    .values({
      workflow_id: v.workflowId,
      version,
      hash: v.hash,
      yaml: v.yaml,
      definition: JSON.stringify(v.def),
      created_by: v.createdBy,
      source: v.source,
      message: v.message,
      created_at: now,
    })
    .execute();
  return version;
}

export async function getVersion(db: Db, workflowId: string, version: number): Promise<VersionRow | null> {
  const row = await db
    .selectFrom('workflow_versions')
    .selectAll()
    .where('workflow_id', '=', workflowId)
    .where('version', '=', version)
    .executeTakeFirst();
  return row ? toRow(row) : null;
}

export async function listVersions(db: Db, workflowId: string): Promise<Omit<VersionRow, 'yaml'>[]> {
  const rows = await db
    .selectFrom('workflow_versions')
    .select(['workflow_id', 'version', 'hash', 'created_at', 'created_by', 'source', 'message'])
    .where('workflow_id', '=', workflowId)
    .orderBy('version', 'desc')
    .execute();
  return rows.map((r) => ({
    workflowId: r.workflow_id,
    version: r.version,
    hash: r.hash,
    createdAt: r.created_at,
    createdBy: r.created_by,
    source: r.source,
    message: r.message,
  }));
}

/** The stored definitions of several versions at once (the runtime's cache misses). */
export async function definitionsOf(
  db: Db,
  keys: { workflowId: string; version: number }[],
): Promise<{ workflowId: string; version: number; hash: string; def: unknown }[]> {
  if (keys.length === 0) return [];
  const rows = await db
    .selectFrom('workflow_versions')
    .select(['workflow_id', 'version', 'hash', 'definition'])
    .where((eb) =>
      eb.or(keys.map((k) => eb.and([eb('workflow_id', '=', k.workflowId), eb('version', '=', k.version)]))),
    )
    .execute();
  return rows.map((r) => ({
    workflowId: r.workflow_id,
    version: r.version,
    hash: r.hash,
    def: r.definition as unknown,
  }));
}

function toRow(r: {
  workflow_id: string;
  version: number;
  hash: string;
  yaml: string;
  created_at: Date;
  created_by: string | null;
  source: string | null;
  message: string | null;
}): VersionRow {
  return {
    workflowId: r.workflow_id,
    version: r.version,
    hash: r.hash,
    yaml: r.yaml,
    createdAt: r.created_at,
    createdBy: r.created_by,
    source: r.source,
    message: r.message,
  };
}

/** Every workflow's latest and published version with their hashes (what `tend push` compares). */
export async function publishedAndLatest(db: Db): Promise<
  {
    id: string;
    latest: { version: number; hash: string } | null;
    published: { version: number; hash: string } | null;
  }[]
> {
  const rows = await db
    .selectFrom('workflows as w')
    .leftJoin('workflow_versions as p', (j) =>
      j.onRef('p.workflow_id', '=', 'w.id').onRef('p.version', '=', 'w.published_version'),
    )
    .select(['w.id', 'p.version as pv', 'p.hash as ph'])
    .select((eb) => [
      eb
        .selectFrom('workflow_versions as l')
        .select('l.version')
        .whereRef('l.workflow_id', '=', 'w.id')
        .orderBy('l.version', 'desc')
        .limit(1)
        .as('lv'),
      eb
        .selectFrom('workflow_versions as l')
        .select('l.hash')
        .whereRef('l.workflow_id', '=', 'w.id')
        .orderBy('l.version', 'desc')
        .limit(1)
        .as('lh'),
    ])
    .where('w.archived_at', 'is', null)
    .orderBy('w.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    latest: r.lv != null && r.lh != null ? { version: r.lv, hash: r.lh } : null,
    published: r.pv != null && r.ph != null ? { version: r.pv, hash: r.ph } : null,
  }));
}
