import type { Db } from './db.ts';

export interface SurveyLinkRow {
  id: string;
  key: string;
  survey: string;
  customer_id: string;
  workflow_id: string | null;
  run_id: string | null;
  channel: string;
  locale: string | null;
  segment: string | null;
  stage: string | null;
  created_at: Date;
  expires_at: Date;
}

/** Creates a link once per key; the existing one comes back for a key seen before. */
export async function createSurveyLink(db: Db, row: SurveyLinkRow): Promise<SurveyLinkRow> {
  await db
    .insertInto('survey_links')
    .values(row)
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const stored = await db
    .selectFrom('survey_links')
    .selectAll()
    .where('key', '=', row.key)
    .executeTakeFirst();
  return stored as SurveyLinkRow;
}

export async function getSurveyLink(db: Db, id: string): Promise<SurveyLinkRow | null> {
  const row = await db.selectFrom('survey_links').selectAll().where('id', '=', id).executeTakeFirst();
  return (row as SurveyLinkRow | undefined) ?? null;
}
