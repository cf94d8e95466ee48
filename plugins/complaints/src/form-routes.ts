import { randomUUID } from 'node:crypto';
import { bodyLimit, type Context, Hono, type PluginContext, type PluginEnv } from '@tend/plugin-sdk';
import { complaintByKey, countFiledSince } from './complaints-store.ts';
import { type FormLocale, type FormWord, formLocale, formPage, messagePage } from './form-page.ts';
import { takeComplaint } from './intake.ts';
import { type PolicyCatalog, SEVERITIES, type Severity } from './policy.ts';

/** A complaint is a few fields: anything larger is not one. */
export const MAX_FORM_BYTES = 16 * 1024;
/** People read and type; a form sent back sooner than this was filled in by a script. */
export const MIN_FILL_MS = 3000;
/** Complaints one customer may file through the form in a day; more go by email or phone. */
export const DAILY_FORM_LIMIT = 5;
const TICKET_LIFETIME_MS = 24 * 3_600_000;
const DAY_MS = 24 * 3_600_000;

/** The link a customer opens to complain: signed, naming them, valid for `days`. */
export function formLink(ctx: PluginContext, customerId: string, locale: string | null, days = 30) {
  const expiresAt = new Date(ctx.now().getTime() + days * DAY_MS);
  const token = ctx.links.sign({ cf: customerId, ...(locale ? { l: locale } : {}) }, expiresAt);
  return { url: `${ctx.host.publicUrl()}/complain/${token}`, expiresAt };
}

/**
 * The hosted complaint form, no sign-in: `GET /complain/:token` shows it in the customer's
 * language (a phone's width is enough), `POST` files the complaint. Each form carries a signed
 * ticket made when it was shown: a repeat of the same ticket answers the complaint already filed,
 * a form sent back within seconds or with the hidden trap field filled is refused, as are bodies
 * over 16 KB and more than five complaints a day; the host limits requests per client besides.
 */
export function formRoutes(ctx: PluginContext, policies: PolicyCatalog) {
  return new Hono<PluginEnv>()
    .get('/complain/:token', async (c) => {
      const link = open(ctx, c);
      if (!link) return c.html(messagePage(formLocale(c.req.query('lang')), 'notFound'), 404);
      const ticket = ctx.links.sign(
        { t: 'ticket', c: link.customerId, n: randomUUID(), at: ctx.now().getTime() },
        new Date(ctx.now().getTime() + TICKET_LIFETIME_MS),
      );
      return c.html(formPage(link.locale, policies.get(), c.req.path, { ticket }));
    })
    .post(
      '/complain/:token',
      bodyLimit({ maxSize: MAX_FORM_BYTES, onError: (c) => c.text('This complaint is too large.', 413) }),
      async (c) => {
        const link = open(ctx, c);
        if (!link) return c.html(messagePage(formLocale(c.req.query('lang')), 'notFound'), 404);
        const { locale, customerId } = link;
        const form = await readForm(c);
        // The form again, with what was typed and why it was not taken, and a fresh ticket.
        const again = (error: FormWord, values = form ?? {}) => {
          const fresh = ctx.links.sign(
            { t: 'ticket', c: customerId, n: randomUUID(), at: ctx.now().getTime() },
            new Date(ctx.now().getTime() + TICKET_LIFETIME_MS),
          );
          return c.html(formPage(locale, policies.get(), c.req.path, { ticket: fresh, values, error }), 400);
        };
        if (!form) return again('required');
        const ticket = ctx.links.verify(form.ticket ?? '', ctx.now());
        if (ticket?.t !== 'ticket' || ticket.c !== customerId || typeof ticket.n !== 'string')
          return again('tooFast');
        // A filled trap field or a form sent back at once: a script, not a person.
        if (form.website || ctx.now().getTime() - Number(ticket.at) < MIN_FILL_MS) return again('tooFast');
        const description = (form.description ?? '').trim();
        if (description.length < 10) return again('required');
        if (description.length > 4000) return again('tooLong');
        const category = form.category ?? '';
        if (!policies.get().categories.some((x) => x.id === category)) return again('pickCategory');
        const severity = (SEVERITIES as readonly string[]).includes(form.severity ?? '')
          ? (form.severity as Severity)
          : 'medium';
        const attachments = (form.attachments ?? '')
          .split(/\s+/)
          .map((s) => s.trim())
          .filter(Boolean);
        if (attachments.length > 5 || attachments.some((a) => !/^https?:\/\/\S{1,490}$/i.test(a)))
          return again('badLinks');
        const key = `form:${ticket.n}`;
        // The same form sent twice is the same complaint; only new ones count toward the limit.
        const repeat = await complaintByKey(ctx.db, customerId, key);
        const since = new Date(ctx.now().getTime() - DAY_MS);
        if (!repeat && (await countFiledSince(ctx.db, customerId, since)) >= DAILY_FORM_LIMIT)
          return c.html(messagePage(locale, 'tooMany'), 429);
        const taken = await takeComplaint(ctx, policies, {
          key,
          customerId,
          channel: 'form',
          category,
          severity,
          description,
          attachments,
          store: null,
          by: 'form',
        });
        if (!taken.ok) return c.html(messagePage(locale, 'notFound'), 404);
        return c.html(messagePage(locale, taken.created ? 'thanks' : 'already', reference(taken.row.id)));
      },
    );
}

/** The short reference a customer quotes on the phone. */
export const reference = (id: string) => id.slice(0, 8).toUpperCase();

function open(ctx: PluginContext, c: Context<PluginEnv>): { customerId: string; locale: FormLocale } | null {
  const payload = ctx.links.verify(c.req.param('token') ?? '', ctx.now());
  if (typeof payload?.cf !== 'string') return null;
  const wish = c.req.query('lang') ?? (payload.l as string | undefined) ?? c.req.header('accept-language');
  return { customerId: payload.cf, locale: formLocale(wish, ctx.host.defaultLocale) };
}

/** The posted form's single values, or null when the body is not a form. */
async function readForm(c: Context<PluginEnv>): Promise<Record<string, string> | null> {
  const type = c.req.header('content-type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return null;
  const body = await c.req.parseBody();
  const form: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) if (typeof value === 'string') form[name] = value;
  return form;
}
