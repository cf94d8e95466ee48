import { escapeHtml, Hono, type PluginContext, type PluginEnv } from '@tend/plugin-sdk';
import { displayCode, normalizeCode } from './codes.ts';
import { ownerOfCode, type ReferralsDatabase } from './referral-store.ts';
import type { ReferralsSettings } from './settings.ts';

const WORDS = {
  en: {
    title: 'You were invited',
    body: 'Sign up with this referral code and your friend is thanked for bringing you:',
    unknown: 'This referral link is not valid.',
    unknownTitle: 'Link not found',
  },
  'zh-CN': {
    title: '您收到了一份邀请',
    body: '注册时填写这个推荐码，您的朋友就会因推荐您而获得感谢：',
    unknown: '这个推荐链接无效。',
    unknownTitle: '找不到链接',
  },
} as const;

function page(locale: keyof typeof WORDS, title: string, body: string): string {
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>
body{margin:0;font:16px/1.5 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;background:#f4f5f7;color:#1d2330}
main{max-width:560px;margin:0 auto;padding:24px 16px}.card{background:#fff;border-radius:12px;padding:20px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
h1{font-size:22px;margin:0 0 8px}.code{font:600 28px/1.2 ui-monospace,monospace;letter-spacing:2px;margin:16px 0}
</style></head><body><main><div class="card">${body}</div></main></body></html>`;
}

/**
 * `GET /r/:code`, the link a customer shares: to the shop's sign-up page with `?ref=<code>` when
 * TEND_REFERRAL_LANDING_URL is set, else a page showing the code to sign up with. The code is
 * checked first, so a made-up link leads nowhere.
 */
export function landingPages(ctx: PluginContext<ReferralsSettings, ReferralsDatabase>) {
  return new Hono<PluginEnv>().get('/r/:code', async (c) => {
    const locale = c.req.header('accept-language')?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
    const w = WORDS[locale];
    const code = normalizeCode(decodeURIComponent(c.req.param('code')));
    if (!code || !(await ownerOfCode(ctx.db, code))) {
      return c.html(page(locale, w.unknownTitle, `<h1>${w.unknownTitle}</h1><p>${w.unknown}</p>`), 404);
    }
    const landing = ctx.settings.landingUrl;
    if (landing) {
      const target = new URL(landing);
      target.searchParams.set('ref', displayCode(code));
      return c.redirect(target.toString(), 302);
    }
    return c.html(
      page(
        locale,
        w.title,
        `<h1>${w.title}</h1><p>${w.body}</p><p class="code" data-code>${displayCode(code)}</p>`,
      ),
    );
  });
}
