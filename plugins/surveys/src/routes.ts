import { Hono, HttpError, type PluginContext, type PluginEnv, requires } from '@tend/plugin-sdk';
import { scoreQuestion, surveyCatalog, surveyKind } from './catalog.ts';
import { surveyTotals } from './surveys-store.ts';

/** Survey definitions and results (response rate, NPS, CSAT, score distribution). */
export function surveysApi(ctx: PluginContext) {
  return new Hono<PluginEnv>()
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
      const totals = await surveyTotals(ctx.db, {
        survey: id,
        ...(workflow ? { workflow } : {}),
        ...(segment ? { segment } : {}),
      });
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
      });
    });
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
