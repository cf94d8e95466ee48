import { escapeHtml } from '@tend/plugin-sdk';
import { type Localized, type Question, type SurveyDef, text } from './catalog.ts';

/** The page's own words, in the languages the page speaks. */
const WORDS = {
  en: {
    submit: 'Send',
    unlikely: 'Not at all likely',
    likely: 'Extremely likely',
    unsatisfied: 'Very unsatisfied',
    satisfied: 'Very satisfied',
    optional: 'optional',
    thanks: 'Thank you! Your answer has been recorded.',
    already: 'You have already answered this survey. Thank you!',
    notFound: 'This survey link is not valid or has expired.',
    required: 'Please answer this question.',
    range: 'Please pick one of the numbers.',
    option: 'Please pick from the list.',
    long: 'Please keep it under 2000 characters.',
  },
  'zh-CN': {
    submit: '提交',
    unlikely: '完全不可能',
    likely: '非常可能',
    unsatisfied: '非常不满意',
    satisfied: '非常满意',
    optional: '选填',
    thanks: '谢谢！您的回答已记录。',
    already: '您已经回答过这份问卷，谢谢！',
    notFound: '问卷链接无效或已过期。',
    required: '请回答此问题。',
    range: '请选择一个数字。',
    option: '请从列表中选择。',
    long: '请控制在 2000 字以内。',
  },
} as const;

export type PageLocale = keyof typeof WORDS;

/** The page language for a customer's locale (Chinese variants → zh-CN, everything else → en). */
export function pageLocale(wanted: string | null | undefined, fallback = 'en'): PageLocale {
  const pick = (l: string | null | undefined) =>
    l?.toLowerCase().startsWith('zh') ? 'zh-CN' : l ? 'en' : null;
  return pick(wanted) ?? pick(fallback) ?? 'en';
}

function shell(locale: PageLocale, title: string, body: string): string {
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>
body{margin:0;font:16px/1.5 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;background:#f4f5f7;color:#1d2330}
main{max-width:560px;margin:0 auto;padding:24px 16px}
.card{background:#fff;border-radius:12px;padding:20px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
h1{font-size:22px;margin:0 0 8px}fieldset{border:0;margin:20px 0;padding:0}legend{font-weight:600;margin-bottom:8px}
.scale{display:flex;flex-wrap:wrap;gap:6px}.scale label{flex:1 0 36px}
.scale input,.choice input{position:absolute;opacity:0}
.scale span{display:block;text-align:center;padding:10px 0;border:1px solid #c9ced8;border-radius:8px;cursor:pointer}
.scale input:checked+span{background:#2f6fed;border-color:#2f6fed;color:#fff}
.scale input:focus-visible+span,.choice input:focus-visible+span{outline:2px solid #2f6fed}
.ends{display:flex;justify-content:space-between;font-size:13px;color:#5b6476;margin-top:4px}
.choice{display:block;position:relative;margin:6px 0}.choice span{display:block;padding:10px 12px;border:1px solid #c9ced8;border-radius:8px;cursor:pointer}
.choice input:checked+span{border-color:#2f6fed;background:#eef3fe}
textarea{width:100%;box-sizing:border-box;min-height:96px;padding:10px;border:1px solid #c9ced8;border-radius:8px;font:inherit}
button{width:100%;padding:14px;border:0;border-radius:8px;background:#2f6fed;color:#fff;font-size:17px;cursor:pointer}
.error{color:#b42318;font-size:14px;margin-top:6px}.muted{color:#5b6476;font-weight:400}
</style></head><body><main><div class="card">${body}</div></main></body></html>`;
}

/** A page with one message (thanks, already answered, not found). */
export function messagePage(
  locale: PageLocale,
  title: Localized | null,
  key: 'thanks' | 'already' | 'notFound',
  custom?: Localized,
): string {
  const heading = title ? text(title, locale) : '';
  const message = custom ? text(custom, locale) : WORDS[locale][key];
  return shell(
    locale,
    heading || message,
    `${heading ? `<h1>${escapeHtml(heading)}</h1>` : ''}<p>${escapeHtml(message)}</p>`,
  );
}

/** The survey form; `errors` (by question id) and `values` come back after a bad submission. */
export function surveyPage(
  def: SurveyDef,
  locale: PageLocale,
  action: string,
  errors: Record<string, string> = {},
  values: Record<string, string | string[]> = {},
): string {
  const w = WORDS[locale];
  const fields = def.questions.map((q) => question(q, locale, errors[q.id], values[q.id])).join('\n');
  const intro = def.intro ? `<p>${escapeHtml(text(def.intro, locale))}</p>` : '';
  return shell(
    locale,
    text(def.title, locale),
    `<h1>${escapeHtml(text(def.title, locale))}</h1>${intro}
<form method="post" action="${escapeHtml(action)}">${fields}
<button type="submit">${w.submit}</button></form>`,
  );
}

function question(
  q: Question,
  locale: PageLocale,
  error: string | undefined,
  value: string | string[] | undefined,
) {
  const w = WORDS[locale];
  const chosen = new Set(Array.isArray(value) ? value : value ? [value] : []);
  // The text box is named by its question (a fieldset's legend names the group, not the box).
  const legendId = `q-${escapeHtml(q.id)}`;
  const legend = `<legend id="${legendId}">${escapeHtml(text(q.label, locale))}${q.optional ? ` <span class="muted">(${w.optional})</span>` : ''}</legend>`;
  const problem = error
    ? `<div class="error" role="alert">${w[error as keyof typeof w] ?? w.required}</div>`
    : '';
  let input: string;
  if (q.type === 'nps' || q.type === 'csat') {
    const [min, max] = q.type === 'nps' ? [0, 10] : [1, 5];
    const boxes = Array.from({ length: max - min + 1 }, (_, i) => {
      const n = String(min + i);
      return `<label><input type="radio" name="${q.id}" value="${n}"${chosen.has(n) ? ' checked' : ''}><span>${n}</span></label>`;
    }).join('');
    const [low, high] = q.type === 'nps' ? [w.unlikely, w.likely] : [w.unsatisfied, w.satisfied];
    input = `<div class="scale">${boxes}</div><div class="ends"><span>${low}</span><span>${high}</span></div>`;
  } else if (q.type === 'single' || q.type === 'multiple') {
    const kind = q.type === 'single' ? 'radio' : 'checkbox';
    input = (q.options ?? [])
      .map(
        (o) =>
          `<label class="choice"><input type="${kind}" name="${q.id}" value="${escapeHtml(o.value)}"${chosen.has(o.value) ? ' checked' : ''}><span>${escapeHtml(text(o.label, locale))}</span></label>`,
      )
      .join('');
  } else {
    input = `<textarea name="${q.id}" aria-labelledby="${legendId}" maxlength="2000">${escapeHtml([...chosen][0] ?? '')}</textarea>`;
  }
  return `<fieldset>${legend}${input}${problem}</fieldset>`;
}
