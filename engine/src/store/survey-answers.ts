import { sql } from 'kysely';
import type { Db } from './db.ts';

export interface SurveyAnswerRow {
  link_id: string;
  survey: string;
  customer_id: string;
  score: number | null;
  answers: Record<string, unknown>;
  answered_at: Date;
}

/** Records the one answer a link takes; false when the link was answered before. */
export async function saveAnswer(db: Db, row: SurveyAnswerRow): Promise<boolean> {
  const r = await db
    .insertInto('survey_answers')
    .values({ ...row, answers: JSON.stringify(row.answers) })
    .onConflict((oc) => oc.column('link_id').doNothing())
    .returning('link_id')
    .executeTakeFirst();
  return r !== undefined;
}

export async function getAnswer(db: Db, linkId: string): Promise<SurveyAnswerRow | null> {
  const row = await db
    .selectFrom('survey_answers')
    .selectAll()
    .where('link_id', '=', linkId)
    .executeTakeFirst();
  return (row as SurveyAnswerRow | undefined) ?? null;
}

export interface ResultFilter {
  survey: string;
  workflow?: string;
  /** The customer's RFM segment (or, without RFM, lifecycle stage) when the link was sent. */
  segment?: string;
}

/** Links sent, answers, and the score distribution of one survey (optionally narrowed). */
export async function surveyTotals(
  db: Db,
  f: ResultFilter,
): Promise<{ sent: number; answered: number; distribution: { score: number; count: number }[] }> {
  const base = db
    .selectFrom('survey_links as l')
    .leftJoin('survey_answers as a', 'a.link_id', 'l.id')
    .where('l.survey', '=', f.survey)
    .$if(f.workflow !== undefined, (q) => q.where('l.workflow_id', '=', f.workflow as string))
    .$if(f.segment !== undefined, (q) =>
      q.where((eb) =>
        eb.or([eb('l.segment', '=', f.segment as string), eb('l.stage', '=', f.segment as string)]),
      ),
    );
  const totals = await base
    .select([sql<number>`count(*)::int`.as('sent'), sql<number>`count(a.link_id)::int`.as('answered')])
    .executeTakeFirst();
  const scores = await base
    .select(['a.score', sql<number>`count(*)::int`.as('count')])
    .where('a.score', 'is not', null)
    .groupBy('a.score')
    .orderBy('a.score')
    .execute();
  return {
    sent: totals?.sent ?? 0,
    answered: totals?.answered ?? 0,
    distribution: scores.map((s) => ({ score: Number(s.score), count: s.count })),
  };
}
