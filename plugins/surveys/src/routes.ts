import {
  dateParam,
  Hono,
  HttpError,
  type PluginContext,
  type PluginEnv,
  readsThatMayLag,
  requires,
  toCsv,
} from '@tend/plugin-sdk';
import { isTimeZone } from '@tend/plugin-sdk/time';
import { RANGE } from './answers.ts';
import { scoreQuestion, surveyCatalog, surveyKind } from './catalog.ts';
import {
  type ResultFilter,
  surveyAnswers,
  surveyComments,
  surveyTotals,
  surveyTrend,
} from './surveys-store.ts';

/** The latest comments a results answer lists. */
const COMMENTS = 100;
/** Answers one CSV export holds at most (narrow by period beyond that). */
const CSV_ROWS = 100_000;
const bad = (message: string) => new HttpError(400, 'bad_request', message);

/** `workflow`, `segment`, `from`, `to` of a results request, checked (a bad one is a 400 naming it). */
function resultFilter(survey: string, q: Record<string, string>): ResultFilter {
  const date = (name: 'from' | 'to') => {
    const raw = q[name];
    if (raw === undefined) return undefined;
    return dateParam(name, raw);
  };
  const from = date('from');
  const to = date('to');
  if (from && to && from >= to) throw bad('from must be before to');
  return {
    survey,
    ...(q.workflow ? { workflow: q.workflow } : {}),
    ...(q.segment ? { segment: q.segment } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  };
}

/**
 * Every point of a scored question's scale with its count, zeros included (a chart of 0–10 shows
 * the scores nobody gave); other surveys keep the scores given.
 */
export function fullScale(kind: string | undefined, distribution: { score: number; count: number }[]) {
  const range = kind === 'nps' || kind === 'csat' ? RANGE[kind] : null;
  if (!range) return distribution;
  const counts = new Map(distribution.map((d) => [d.score, d.count]));
  return Array.from({ length: range[1] - range[0] + 1 }, (_, i) => ({
    score: range[0] + i,
    count: counts.get(range[0] + i) ?? 0,
  }));
}

/** Survey definitions and results (response rate, NPS, CSAT, score distribution, comments). */
export function surveysApi(ctx: PluginContext) {
  return (
    new Hono<PluginEnv>()
      .get('/', requires('read'), (c) => {
        const catalog = surveyCatalog(ctx.host.workflowsDir);
        return c.json({
          surveys: catalog
            .list()
            .map((s) => ({ id: s.id, kind: surveyKind(s), title: s.title, questions: s.questions })),
          problems: catalog.problems(),
        });
      })
      .get('/:id/results', requires('read'), async (c) => {
        const id = c.req.param('id');
        const def = surveyCatalog(ctx.host.workflowsDir).get(id);
        if (!def) throw new HttpError(404, 'not_found', `survey "${id}" not found`);
        const { workflow, segment } = c.req.query();
        const filter = resultFilter(id, c.req.query());
        const textQuestions = def.questions.filter((q) => q.type === 'text').map((q) => q.id);
        const reads = await readsThatMayLag(c, ctx.db);
        const [totals, comments] = await Promise.all([
          surveyTotals(reads, filter),
          surveyComments(reads, filter, textQuestions, COMMENTS),
        ]);
        const names = await customerNames(
          ctx,
          comments.map((a) => a.customer_id),
        );
        return c.json({
          survey: id,
          kind: surveyKind(def),
          ...(workflow ? { workflow } : {}),
          ...(segment ? { segment } : {}),
          sent: totals.sent,
          answered: totals.answered,
          responseRate: totals.sent === 0 ? 0 : round(totals.answered / totals.sent, 4),
          ...scores(scoreQuestion(def)?.type, totals.distribution),
          distribution: totals.distribution,
          scale: fullScale(scoreQuestion(def)?.type, totals.distribution),
          comments: comments.flatMap((a) =>
            textQuestions
              .filter((q) => typeof a.answers[q] === 'string' && (a.answers[q] as string).trim() !== '')
              .map((q) => ({
                customerId: a.customer_id,
                customerName: names.get(a.customer_id) ?? null,
                answeredAt: a.answered_at.toISOString(),
                score: a.score,
                question: q,
                text: a.answers[q] as string,
                workflow: a.workflow_id,
              })),
          ),
        });
      })
      // NPS or CSAT per week or month (in the viewer's zone) under the same filters.
      .get('/:id/trend', requires('read'), async (c) => {
        const id = c.req.param('id');
        const def = surveyCatalog(ctx.host.workflowsDir).get(id);
        if (!def) throw new HttpError(404, 'not_found', `survey "${id}" not found`);
        const q = c.req.query();
        const by = q.by ?? 'week';
        if (by !== 'week' && by !== 'month') throw bad('by must be week or month');
        const tz = q.tz ?? 'UTC';
        if (!isTimeZone(tz)) throw bad(`tz: "${tz}" is not an IANA time zone such as Asia/Shanghai`);
        const kind = scoreQuestion(def)?.type;
        const rows = await surveyTrend(await readsThatMayLag(c, ctx.db), resultFilter(id, q), by, tz);
        const periods = [...new Set(rows.map((r) => r.period))];
        return c.json({
          survey: id,
          kind: surveyKind(def),
          by,
          tz,
          periods: periods.map((period) => {
            const distribution = rows.filter((r) => r.period === period);
            return {
              period,
              answers: distribution.reduce((n, d) => n + d.count, 0),
              ...scores(kind, distribution),
            };
          }),
        });
      })
      // Every answer under the filters as a spreadsheet: one column per question.
      .get('/:id/answers.csv', requires('read'), async (c) => {
        const id = c.req.param('id');
        const def = surveyCatalog(ctx.host.workflowsDir).get(id);
        if (!def) throw new HttpError(404, 'not_found', `survey "${id}" not found`);
        const rows = await surveyAnswers(
          await readsThatMayLag(c, ctx.db),
          resultFilter(id, c.req.query()),
          CSV_ROWS,
        );
        // The scored question is the score column; the others follow, one column each.
        const scored = scoreQuestion(def)?.id;
        const questions = def.questions.filter((q) => q.id !== scored).map((q) => q.id);
        const csv = toCsv(
          [
            'answered_at',
            'customer_id',
            'score',
            ...questions,
            'journey',
            'channel',
            'segment',
            'stage',
            'sent_at',
          ],
          rows.map((r) => [
            r.answered_at,
            r.customer_id,
            r.score,
            ...questions.map((q) => r.answers[q] ?? null),
            r.workflow_id,
            r.channel,
            r.segment,
            r.stage,
            r.sent_at,
          ]),
        );
        return c.body(csv, 200, {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${id}-answers.csv"`,
        });
      })
  );
}

/** NPS = % promoters (9–10) − % detractors (0–6); CSAT = the average score (1–5) and % 4–5. */
function scores(kind: 'nps' | 'csat' | string | undefined, distribution: { score: number; count: number }[]) {
  const total = distribution.reduce((n, d) => n + d.count, 0);
  const count = (test: (score: number) => boolean) =>
    distribution.filter((d) => test(d.score)).reduce((n, d) => n + d.count, 0);
  if (kind === 'nps') {
    const promoters = count((s) => s >= 9);
    const detractors = count((s) => s <= 6);
    const nps = total === 0 ? null : round(((promoters - detractors) / total) * 100, 1);
    return { nps, promoters, passives: total - promoters - detractors, detractors };
  }
  if (kind === 'csat') {
    const sum = distribution.reduce((n, d) => n + d.score * d.count, 0);
    return {
      csat: total === 0 ? null : round(sum / total, 2),
      satisfied: total === 0 ? null : round(count((s) => s >= 4) / total, 4),
    };
  }
  return {};
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The names of the customers who commented (decrypted one by one: a page lists at most COMMENTS). */
async function customerNames(ctx: PluginContext, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  const customers = await Promise.all(unique.map((id) => ctx.customers.get(id)));
  const names = new Map<string, string>();
  for (const customer of customers) if (customer?.name) names.set(customer.id, customer.name);
  return names;
}
