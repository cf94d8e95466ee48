import { type Kysely, type Selectable, sql } from '@tend/plugin-sdk';

/** The surveys plugin's tables (schema plugin_surveys). */
export interface SurveysDatabase {
  /** One signed link per survey sent; the segment or stage it was sent in groups results. */
  links: {
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
  };
  /** The one answer a link takes. */
  answers: {
    link_id: string;
    survey: string;
    customer_id: string;
    score: number | null;
    answers: Record<string, unknown>;
    answered_at: Date;
  };
}

export type LinkRow = Selectable<SurveysDatabase['links']>;
export type AnswerRow = Selectable<SurveysDatabase['answers']>;
type Db = Kysely<SurveysDatabase>;

/** Creates a link once per key; the existing one comes back for a key seen before. */
export async function createLink(db: Db, row: LinkRow): Promise<LinkRow> {
  await db
    .insertInto('links')
    .values(row)
    .onConflict((oc) => oc.columns(['key', 'customer_id']).doNothing())
    .execute();
  return db
    .selectFrom('links')
    .selectAll()
    .where('key', '=', row.key)
    .where('customer_id', '=', row.customer_id)
    .executeTakeFirstOrThrow();
}

export async function getLink(db: Db, id: string): Promise<LinkRow | null> {
  return (await db.selectFrom('links').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

/** Records the one answer a link takes; false when the link was answered before. */
export async function saveAnswer(db: Db, row: AnswerRow): Promise<boolean> {
  const r = await db
    .insertInto('answers')
    .values({ ...row, answers: JSON.stringify(row.answers) as never })
    .onConflict((oc) => oc.columns(['link_id', 'customer_id']).doNothing())
    .returning('link_id')
    .executeTakeFirst();
  return r !== undefined;
}

export async function getAnswer(db: Db, linkId: string): Promise<AnswerRow | null> {
  return (
    (await db.selectFrom('answers').selectAll().where('link_id', '=', linkId).executeTakeFirst()) ?? null
  );
}

export interface ResultFilter {
  survey: string;
  workflow?: string;
  /** The customer's RFM segment (or, without RFM, lifecycle stage) when the link was sent. */
  segment?: string;
  /** Links sent in [from, to). */
  from?: Date;
  to?: Date;
}

/** The links of a filter (alias l), answers joined (alias a) when `answered`. */
function filteredLinks(db: Db, f: ResultFilter) {
  return db
    .selectFrom('links as l')
    .where('l.survey', '=', f.survey)
    .$if(f.workflow !== undefined, (q) => q.where('l.workflow_id', '=', f.workflow as string))
    .$if(f.segment !== undefined, (q) =>
      q.where((eb) =>
        eb.or([eb('l.segment', '=', f.segment as string), eb('l.stage', '=', f.segment as string)]),
      ),
    )
    .$if(f.from !== undefined, (q) => q.where('l.created_at', '>=', f.from as Date))
    .$if(f.to !== undefined, (q) => q.where('l.created_at', '<', f.to as Date));
}

/** Links sent, answers, and the score distribution of one survey (optionally narrowed). */
export async function surveyTotals(
  db: Db,
  f: ResultFilter,
): Promise<{ sent: number; answered: number; distribution: { score: number; count: number }[] }> {
  const base = filteredLinks(db, f).leftJoin('answers as a', 'a.link_id', 'l.id');
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

/** The latest answers of a survey that carry text in one of `questions` (comments), newest first. */
export async function surveyComments(db: Db, f: ResultFilter, questions: string[], limit: number) {
  if (questions.length === 0) return [];
  return filteredLinks(db, f)
    .innerJoin('answers as a', 'a.link_id', 'l.id')
    .select(['a.customer_id', 'a.answered_at', 'a.score', 'a.answers', 'l.workflow_id'])
    .where(sql<boolean>`a.answers ?| ${questions}::text[]`)
    .orderBy('a.answered_at', 'desc')
    .limit(limit)
    .execute();
}

/**
 * Answers per period (`week` or `month`, starting in `zone`) and score: what NPS or CSAT over
 * time is computed from. Periods come back as the local date they start on (YYYY-MM-DD).
 */
export async function surveyTrend(db: Db, f: ResultFilter, unit: 'week' | 'month', zone: string) {
  const period = sql<string>`to_char(date_trunc(${unit}, a.answered_at AT TIME ZONE ${zone}), 'YYYY-MM-DD')`;
  const rows = await filteredLinks(db, f)
    .innerJoin('answers as a', 'a.link_id', 'l.id')
    .select([period.as('period'), 'a.score', sql<number>`count(*)::int`.as('count')])
    .where('a.score', 'is not', null)
    .groupBy([sql`1`, 'a.score'])
    .orderBy(sql`1`)
    .execute();
  return rows.map((r) => ({ period: r.period, score: Number(r.score), count: r.count }));
}

/** Every answer of a filter, oldest first, with what its link knew (for a CSV export). */
export async function surveyAnswers(db: Db, f: ResultFilter, limit: number) {
  return filteredLinks(db, f)
    .innerJoin('answers as a', 'a.link_id', 'l.id')
    .select([
      'a.answered_at',
      'a.customer_id',
      'a.score',
      'a.answers',
      'l.workflow_id',
      'l.channel',
      'l.segment',
      'l.stage',
      'l.created_at as sent_at',
    ])
    .orderBy('a.answered_at')
    .orderBy('a.link_id')
    .limit(limit)
    .execute();
}

/** Every link a customer was sent, with the answer when there is one (oldest first). */
export async function customerSurveys(db: Db, customerId: string) {
  return db
    .selectFrom('links as l')
    .leftJoin('answers as a', 'a.link_id', 'l.id')
    .select([
      'l.id as link',
      'l.survey',
      'l.workflow_id as workflow',
      'l.run_id as run',
      'l.channel',
      'l.locale',
      'l.segment',
      'l.stage',
      'l.created_at as sentAt',
      'l.expires_at as expiresAt',
      'a.score',
      'a.answers',
      'a.answered_at as answeredAt',
    ])
    .where('l.customer_id', '=', customerId)
    .orderBy('l.created_at')
    .orderBy('l.id')
    .execute();
}

/** A customer's latest answers, newest first. */
export async function answersOf(db: Db, customerId: string, limit: number): Promise<AnswerRow[]> {
  return db
    .selectFrom('answers')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('answered_at', 'desc')
    .limit(limit)
    .execute();
}

/**
 * An erased person's surveys. Links: which survey went out on which channel, and the RFM segment
 * or stage it was sent in (anonymous groups results are broken down by), stay: response rates
 * keep adding up. The link stops working (an answer after the erasure would bring personal data
 * back); the locale goes, as on the profile. Answers: the score stays (NPS and CSAT results). Of
 * the answers only ratings (numbers) stay: free text is the person's own words, and a choice
 * cannot be told from text without the survey.
 */
export async function eraseSurveys(db: Db, from: string, to: string, at: Date): Promise<void> {
  await db
    .updateTable('links')
    .set({ customer_id: to, locale: null, expires_at: sql<Date>`least(expires_at, ${at}::timestamptz)` })
    .where('customer_id', '=', from)
    .execute();
  await db
    .updateTable('answers')
    .set({
      customer_id: to,
      answers: sql`(SELECT coalesce(jsonb_object_agg(a.k, a.v), '{}'::jsonb) FROM jsonb_each(answers) a(k, v)
                    WHERE jsonb_typeof(a.v) = 'number')`,
    })
    .where('customer_id', '=', from)
    .execute();
}

/** Frozen migrations of schema plugin_surveys. */
export const MIGRATIONS = [
  {
    name: '2026-12-05-01-links-answers',
    /**
     * The links and answers the previous release kept in the engine's schema
     * (public.survey_links, public.survey_answers) move here whole, with their indexes and the
     * answers' reference to their link; a new installation gets new tables, indexed alike.
     */
    async up(db: Kysely<unknown>) {
      await sql`
        DO $$ BEGIN
          IF to_regclass('public.survey_links') IS NOT NULL THEN
            EXECUTE format('ALTER TABLE public.survey_links SET SCHEMA %I', current_schema());
            EXECUTE format('ALTER TABLE public.survey_answers SET SCHEMA %I', current_schema());
            ALTER TABLE survey_links RENAME TO links;
            ALTER TABLE survey_answers RENAME TO answers;
          ELSE
            CREATE TABLE links (
              id uuid PRIMARY KEY,
              key text NOT NULL UNIQUE,
              survey text NOT NULL,
              customer_id text NOT NULL,
              workflow_id text,
              run_id uuid,
              channel text NOT NULL,
              locale text,
              segment text,
              stage text,
              created_at timestamptz NOT NULL,
              expires_at timestamptz NOT NULL
            );
            CREATE INDEX survey_links_survey ON links (survey, workflow_id);
            CREATE TABLE answers (
              link_id uuid PRIMARY KEY REFERENCES links(id),
              survey text NOT NULL,
              customer_id text NOT NULL,
              score int,
              answers jsonb NOT NULL,
              answered_at timestamptz NOT NULL
            );
            CREATE INDEX survey_answers_survey ON answers (survey);
            CREATE INDEX survey_links_customer ON links (customer_id);
            CREATE INDEX survey_answers_customer ON answers (customer_id, answered_at DESC);
          END IF;
        END $$;
      `.execute(db);
    },
  },
  {
    name: '2026-12-09-02-customer-keys',
    /**
     * Every key names the customer, so both tables can be distributed by customer and kept
     * together (docs/scaling.md). The link's id still leads its key (the survey page finds a link
     * by id alone). A link has one customer, so keys stay one per link and one answer per link.
     * The answer's reference to its link is checked at commit: an erasure renames the customer
     * of both in one transaction, one table after the other.
     */
    async up(db: Kysely<unknown>) {
      await sql`
        DO $$ BEGIN
          EXECUTE (SELECT format('ALTER TABLE answers DROP CONSTRAINT %I', conname) FROM pg_constraint
                   WHERE conrelid = 'answers'::regclass AND contype = 'f');
          EXECUTE (SELECT format('ALTER TABLE answers DROP CONSTRAINT %I', conname) FROM pg_constraint
                   WHERE conrelid = 'answers'::regclass AND contype = 'p');
          EXECUTE (SELECT format('ALTER TABLE links DROP CONSTRAINT %I', conname) FROM pg_constraint
                   WHERE conrelid = 'links'::regclass AND contype = 'p');
          EXECUTE (SELECT format('ALTER TABLE links DROP CONSTRAINT %I', conname) FROM pg_constraint
                   WHERE conrelid = 'links'::regclass AND contype = 'u');
        END $$;
        ALTER TABLE links ADD PRIMARY KEY (id, customer_id),
          ADD CONSTRAINT links_key UNIQUE (key, customer_id);
        ALTER TABLE answers ADD PRIMARY KEY (link_id, customer_id),
          ADD CONSTRAINT answers_link FOREIGN KEY (link_id, customer_id) REFERENCES links (id, customer_id)
            DEFERRABLE INITIALLY DEFERRED;
      `.execute(db);
    },
  },
];
