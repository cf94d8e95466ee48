import { bodyLimit, type Context, Hono, type PluginContext, type PluginEnv } from '@tend/plugin-sdk';
import { readAnswers } from './answers.ts';
import { type SurveyDef, surveyCatalog } from './catalog.ts';
import { messagePage, pageLocale, surveyPage } from './page.ts';
import { getAnswer, getLink, type LinkRow, saveAnswer } from './surveys-store.ts';

const MAX_FORM_BYTES = 64 * 1024;

/**
 * The hosted survey page behind a signed, expiring link: `GET /s/:token` shows the form in the
 * customer's language, `POST /s/:token` records the one answer the link takes and sends
 * `survey.answered` {survey, score, answers} to the customer's runs. A forged, expired or unknown
 * token is a plain 404 page; a second answer changes nothing.
 */
export function surveyPages(ctx: PluginContext) {
  return new Hono<PluginEnv>()
    .get('/s/:token', async (c) => {
      const found = await open(ctx, c.req.param('token'), c.req.header('accept-language'));
      if (!found) return c.html(messagePage('en', null, 'notFound'), 404);
      const { link, def, locale } = found;
      const answered = await getAnswer(ctx.db, link.id);
      if (answered) return c.html(messagePage(locale, def.title, 'already'));
      return c.html(surveyPage(def, locale, c.req.path));
    })
    .post(
      '/s/:token',
      // Public, so bounded: an answer is a few fields, never megabytes.
      bodyLimit({ maxSize: MAX_FORM_BYTES, onError: (c) => c.text('This answer is too large.', 413) }),
      async (c) => {
        const found = await open(ctx, c.req.param('token'), c.req.header('accept-language'));
        if (!found) return c.html(messagePage('en', null, 'notFound'), 404);
        const { link, def, locale } = found;
        const previous = await getAnswer(ctx.db, link.id);
        if (previous) {
          // Heals a crash between storing an answer and announcing it (the event id makes it once).
          await announce(ctx, link, previous.score, previous.answers);
          return c.html(messagePage(locale, def.title, 'already'), 409);
        }
        const form = await readForm(c);
        if (!form) return c.html(surveyPage(def, locale, c.req.path, { _: 'required' }), 400);
        const parsed = readAnswers(def, form);
        if (!parsed.ok) return c.html(surveyPage(def, locale, c.req.path, parsed.errors, form), 400);
        const saved = await saveAnswer(ctx.db, {
          link_id: link.id,
          survey: def.id,
          customer_id: link.customer_id,
          score: parsed.score,
          answers: parsed.answers,
          answered_at: ctx.now(),
        });
        if (!saved) return c.html(messagePage(locale, def.title, 'already'), 409);
        await announce(ctx, link, parsed.score, parsed.answers);
        return c.html(messagePage(locale, def.title, 'thanks', def.thanks));
      },
    );
}

async function open(ctx: PluginContext, token: string, acceptLanguage: string | undefined) {
  const payload = ctx.links.verify(token, ctx.now());
  if (typeof payload?.s !== 'string' || !/^[0-9a-f-]{36}$/.test(payload.s)) return null;
  const link = await getLink(ctx.db, payload.s);
  if (!link || link.expires_at.getTime() < ctx.now().getTime()) return null;
  const def: SurveyDef | undefined = surveyCatalog(ctx.host.workflowsDir).get(link.survey);
  if (!def) return null;
  const wanted = link.locale ?? acceptLanguage?.split(',')[0] ?? null;
  return { link, def, locale: pageLocale(wanted, ctx.host.defaultLocale) };
}

async function announce(
  ctx: PluginContext,
  link: LinkRow,
  score: number | null,
  answers: Record<string, unknown>,
) {
  await ctx.events.emit([
    {
      id: `survey.answered:${link.id}`,
      customerId: link.customer_id,
      type: 'survey.answered',
      data: { survey: link.survey, score, answers, workflow: link.workflow_id, run: link.run_id },
    },
  ]);
}

/** The posted form (urlencoded or multipart), or null when the body is something else. */
async function readForm(c: Context<PluginEnv>): Promise<Record<string, string | string[]> | null> {
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
