import {
  messagePage,
  pageLocale,
  readAnswers,
  type SurveyDef,
  surveyCatalog,
  surveyPage,
} from '@tend/plugin-surveys';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv, AppServices } from '../server/services.ts';
import { getAnswer, saveAnswer } from '../store/survey-answers.ts';
import { getSurveyLink, type SurveyLinkRow } from '../store/survey-links.ts';

const MAX_FORM_BYTES = 64 * 1024;

/**
 * The hosted survey page behind a signed, expiring link: `GET /s/:token` shows the form in the
 * customer's language, `POST /s/:token` records the one answer the link takes and sends
 * `survey.answered` {survey, score, answers} to the customer's runs. A forged, expired or unknown
 * token is a plain 404 page; a second answer changes nothing.
 */
export const surveyPages = new Hono<AppEnv>()
  .get('/s/:token', async (c) => {
    const found = await open(c.var.services, c.req.param('token'), c.req.header('accept-language'));
    if (!found) return c.html(messagePage('en', null, 'notFound'), 404);
    const { link, def, locale } = found;
    const answered = await getAnswer(c.var.services.db, link.id);
    if (answered) return c.html(messagePage(locale, def.title, 'already'));
    return c.html(surveyPage(def, locale, c.req.path));
  })
  .post(
    '/s/:token',
    // Public, so bounded: an answer is a few fields, never megabytes.
    bodyLimit({ maxSize: MAX_FORM_BYTES, onError: (c) => c.text('This answer is too large.', 413) }),
    async (c) => {
      const { services } = c.var;
      const found = await open(services, c.req.param('token'), c.req.header('accept-language'));
      if (!found) return c.html(messagePage('en', null, 'notFound'), 404);
      const { link, def, locale } = found;
      const previous = await getAnswer(services.db, link.id);
      if (previous) {
        // Heals a crash between storing an answer and announcing it (the event id makes it once).
        await announce(services, link, previous.score, previous.answers);
        return c.html(messagePage(locale, def.title, 'already'), 409);
      }
      const form = await readForm(c);
      if (!form) return c.html(surveyPage(def, locale, c.req.path, { _: 'required' }), 400);
      const parsed = readAnswers(def, form);
      if (!parsed.ok) return c.html(surveyPage(def, locale, c.req.path, parsed.errors, form), 400);
      const saved = await saveAnswer(services.db, {
        link_id: link.id,
        survey: def.id,
        customer_id: link.customer_id,
        score: parsed.score,
        answers: parsed.answers,
        answered_at: services.now(),
      });
      if (!saved) return c.html(messagePage(locale, def.title, 'already'), 409);
      await announce(services, link, parsed.score, parsed.answers);
      return c.html(messagePage(locale, def.title, 'thanks', def.thanks));
    },
  );

async function open(services: AppServices, token: string, acceptLanguage: string | undefined) {
  const payload = services.steps.links.verify(token, services.now());
  if (typeof payload?.s !== 'string' || !/^[0-9a-f-]{36}$/.test(payload.s)) return null;
  const link = await getSurveyLink(services.db, payload.s);
  if (!link || link.expires_at.getTime() < services.now().getTime()) return null;
  const def: SurveyDef | undefined = surveyCatalog(services.config.workflowsDir).get(link.survey);
  if (!def) return null;
  const wanted = link.locale ?? acceptLanguage?.split(',')[0] ?? null;
  return { link, def, locale: pageLocale(wanted, services.config.pluginSettings.defaultLocale) };
}

async function announce(
  services: AppServices,
  link: SurveyLinkRow,
  score: number | null,
  answers: Record<string, unknown>,
) {
  await services.steps.events.emit([
    {
      id: `survey.answered:${link.id}`,
      customerId: link.customer_id,
      type: 'survey.answered',
      data: { survey: link.survey, score, answers, workflow: link.workflow_id, run: link.run_id },
    },
  ]);
}

/** The posted form (urlencoded or multipart), or null when the body is something else. */
async function readForm(c: Context<AppEnv>): Promise<Record<string, string | string[]> | null> {
  const type = c.req.header('content-type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return null;
  const body = await c.req.parseBody({ all: true });
  const form: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(body)) {
    const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
    form[name] = values.length === 1 ? (values[0] as string) : values;
  }
  return form;
}
