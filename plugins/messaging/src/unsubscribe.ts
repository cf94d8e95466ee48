import { Hono, type PluginContext, type PluginEnv } from '@tend/plugin-sdk';

type PageLocale = 'en' | 'zh-CN';

const WORDS = {
  en: {
    title: 'Unsubscribe',
    ask: (channel: string) =>
      `Stop receiving ${channel === 'sms' ? 'text messages' : channel === 'wecom' ? 'WeCom messages' : channel === 'wechat' ? 'WeChat messages' : 'emails'} from us?`,
    button: 'Unsubscribe',
    done: 'You are unsubscribed. You will not receive these messages any more.',
    notFound: 'This link is not valid.',
  },
  'zh-CN': {
    title: '退订',
    ask: (channel: string) =>
      `不再接收我们的${channel === 'sms' ? '短信' : channel === 'wecom' ? '企业微信消息' : channel === 'wechat' ? '微信消息' : '邮件'}？`,
    button: '退订',
    done: '您已退订，之后不会再收到这类消息。',
    notFound: '此链接无效。',
  },
};

/** zh-CN for Chinese customers, else English (the two languages pages come in). */
const pageLocale = (wanted: string | null | undefined, fallback: string): PageLocale =>
  (wanted ?? fallback).toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';

/**
 * One-click unsubscribe (RFC 8058). Mail carries `List-Unsubscribe: <…/u/TOKEN>` with
 * `List-Unsubscribe-Post: List-Unsubscribe=One-Click`: a mailbox provider POSTs to the URL and
 * the customer's consent for the channel is withdrawn at once. A person opening the link gets a
 * page with a button that makes the same POST. The signed token names the customer and channel.
 */
export function unsubscribePages(ctx: PluginContext) {
  return new Hono<PluginEnv>()
    .get('/u/:token', async (c) => {
      const target = await resolve(ctx, c.req.param('token'));
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
      const target = await resolve(ctx, c.req.param('token'));
      if (!target) return c.html(notFoundPage(), 404);
      await ctx.customers.setConsent(target.customerId, target.channel, 'withdrawn', 'unsubscribe-link');
      const w = WORDS[target.locale];
      return c.html(page(target.locale, w.title, `<p>${w.done}</p>`));
    });
}

async function resolve(ctx: PluginContext, token: string) {
  const payload = ctx.links.verify(token, ctx.now());
  if (typeof payload?.u !== 'string' || typeof payload.c !== 'string') return null;
  // An erased person's id is gone: the link leads nowhere.
  const customer = await ctx.customers.get(payload.u);
  if (!customer) return null;
  return {
    customerId: payload.u,
    channel: payload.c,
    locale: pageLocale(customer.locale, ctx.host.defaultLocale),
  };
}

const notFoundPage = () => page('en', WORDS.en.title, `<p>${WORDS.en.notFound}</p>`);

function page(locale: PageLocale, title: string, body: string): string {
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${title}</title>
<style>body{margin:0;font:16px/1.5 system-ui,sans-serif;background:#f4f5f7}main{max-width:480px;margin:40px auto;padding:20px;background:#fff;border-radius:12px}button{width:100%;padding:12px;border:0;border-radius:8px;background:#2f6fed;color:#fff;font-size:16px}</style>
</head><body><main><h1>${title}</h1>${body}</main></body></html>`;
}
