import type { Db } from './db.ts';

export type Positions = Record<string, { x: number; y: number }>;

/** Where people placed a workflow's nodes on the canvas (not part of the YAML: it is not behaviour). */
export async function getLayout(db: Db, workflowId: string): Promise<Positions> {
  const row = await db
    .selectFrom('editor_layouts')
    .select('positions')
    .where('workflow_id', '=', workflowId)
    .executeTakeFirst();
  return (row?.positions as Positions | undefined) ?? {};
}

export async function saveLayout(
  db: Db,
  workflowId: string,
  positions: Positions,
  by: string,
  now: Date,
): Promise<void> {
  const json = JSON.stringify(positions);
  await db
    .insertInto('editor_layouts')
    .values({ workflow_id: workflowId, positions: json, updated_by: by, updated_at: now })
    .onConflict((oc) =>
      oc.column('workflow_id').doUpdateSet({ positions: json, updated_by: by, updated_at: now }),
    )
    .execute();
}
