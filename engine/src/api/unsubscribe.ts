import { messagePage, pageLocale } from '@tend/plugin-surveys';
import { Hono } from 'hono';
import type { AppEnv, AppServices } from '../server/services.ts';
import { getCustomerRow } from '../store/customers.ts';

const WORDS = {
  en: {
    title: 'Unsubscribe',
    ask: (channel: string) => `Stop receiving ${channel === 'sms' ? 'text messages' : 'emails'} from us?`,
    button: 'Unsubscribe',
    done: 'You are unsubscribed. You will not receive these messages any more.',
  },
  'zh-CN': {
    title: '退订',
    ask: (channel: string) => `不再接收我们的${channel === 'sms' ? '短信' : '邮件'}？`,
    button: '退订',
    done: '您已退订，之后不会再收到这类消息。',
  },
};

/**
 * One-click unsubscribe (RFC 8058). Mail carries `List-Unsubscribe: <…/u/TOKEN>` with
 * `List-Unsubscribe-Post: List-Unsubscribe=One-Click`: a mailbox provider POSTs to the URL and
 * the customer's consent for the channel is withdrawn at once. A person opening the link gets a
 * page with a button that makes the same POST. The signed token names the customer and channel.
 */
export const unsubscribePages = new Hono<AppEnv>()
  .get('/u/:token', async (c) => {
    const target = await resolve(c.var.services, c.req.param('token'));
    if (!target) return c.html(notFoundPage(), 404);
    const w = WORDS[target.locale];
    return c.html(
      page(
        target.locale,
        w.title,
        `<p>${w.ask(target.channel)}</p><form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${w.button}</button></form>`,
      ),
    );
  })
  .post('/u/:token', async (c) => {
    const { services } = c.var;
    const target = await resolve(services, c.req.param('token'));
    if (!target) return c.html(notFoundPage(), 404);
    await services.steps.customers.setConsent(
      target.customerId,
      target.channel,
      'withdrawn',
      'unsubscribe-link',
    );
    const w = WORDS[target.locale];
    return c.html(page(target.locale, w.title, `<p>${w.done}</p>`));
  });

async function resolve(services: AppServices, token: string) {
  const payload = services.steps.links.verify(token, services.now());
  if (typeof payload?.u !== 'string' || typeof payload.c !== 'string') return null;
  const row = await getCustomerRow(services.db, payload.u);
  if (!row || row.erased_at) return null;
  return {
    customerId: payload.u,
    channel: payload.c,
    locale: pageLocale(row.locale, services.config.pluginSettings.defaultLocale),
  };
}

const notFoundPage = () => messagePage('en', null, 'notFound');

function page(locale: keyof typeof WORDS, title: string, body: string): string {
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${title}</title>
<style>body{margin:0;font:16px/1.5 system-ui,sans-serif;background:#f4f5f7}main{max-width:480px;margin:40px auto;padding:20px;background:#fff;border-radius:12px}button{width:100%;padding:12px;border:0;border-radius:8px;background:#2f6fed;color:#fff;font-size:16px}</style>
</head><body><main><h1>${title}</h1>${body}</main></body></html>`;
}
