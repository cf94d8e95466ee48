import { escapeHtml } from '@tend/plugin-sdk';
import type { ComplaintPolicy } from './policy.ts';

const WORDS = {
  en: {
    title: 'Tell us what went wrong',
    intro: 'We read every complaint and answer within our working hours. You will hear from us by email.',
    category: 'What is it about?',
    severity: 'How serious is it?',
    low: 'Minor',
    medium: 'Serious',
    high: 'Urgent',
    description: 'What happened?',
    attachments: 'Links to photos or files (optional, one per line)',
    submit: 'Send complaint',
    thanks: 'Thank you. We have your complaint and will get back to you.',
    reference: 'Your reference',
    already: 'We already have this complaint. Thank you.',
    notFound: 'This link is not valid or has expired.',
    tooMany: 'You have sent several complaints today. Please wait, or reply to our email.',
    tooFast: 'That was very fast. Please check your complaint and send it again.',
    required: 'Please tell us what happened (at least 10 characters).',
    tooLong: 'Please keep it under 4000 characters.',
    badLinks: 'Links must start with http:// or https:// (at most 5).',
    pickCategory: 'Please pick what it is about.',
  },
  'zh-CN': {
    title: '告诉我们哪里出了问题',
    intro: '我们会认真阅读每一条投诉，并在工作时间内答复。我们会通过邮件联系您。',
    category: '投诉类别',
    severity: '严重程度',
    low: '轻微',
    medium: '严重',
    high: '紧急',
    description: '发生了什么？',
    attachments: '照片或文件链接（选填，每行一个）',
    submit: '提交投诉',
    thanks: '谢谢，我们已收到您的投诉，会尽快回复您。',
    reference: '投诉编号',
    already: '我们已收到这条投诉，谢谢。',
    notFound: '链接无效或已过期。',
    tooMany: '您今天已提交多条投诉。请稍候，或直接回复我们的邮件。',
    tooFast: '提交太快了。请检查内容后再提交一次。',
    required: '请描述发生了什么（至少 10 个字）。',
    tooLong: '请控制在 4000 字以内。',
    badLinks: '链接须以 http:// 或 https:// 开头（最多 5 个）。',
    pickCategory: '请选择投诉类别。',
  },
} as const;

export type FormLocale = keyof typeof WORDS;
export type FormWord = keyof (typeof WORDS)['en'];

/** The page language for a wish (Chinese variants → zh-CN, everything else → en). */
export function formLocale(...wishes: (string | null | undefined)[]): FormLocale {
  for (const w of wishes) if (w) return w.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
  return 'en';
}

export const word = (locale: FormLocale, key: FormWord) => WORDS[locale][key];

function shell(locale: FormLocale, body: string): string {
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(word(locale, 'title'))}</title>
<style>
body{margin:0;font:16px/1.5 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;background:#f4f5f7;color:#1d2330}
main{max-width:560px;margin:0 auto;padding:24px 16px}
.card{background:#fff;border-radius:12px;padding:20px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
h1{font-size:22px;margin:0 0 8px}label.field{display:block;font-weight:600;margin:18px 0 6px}
select,textarea{width:100%;box-sizing:border-box;padding:10px;border:1px solid #c9ced8;border-radius:8px;font:inherit;background:#fff}
textarea{min-height:120px}textarea.links{min-height:60px}
.sev{display:flex;gap:6px}.sev label{flex:1;position:relative}.sev input{position:absolute;opacity:0}
.sev span{display:block;text-align:center;padding:10px 0;border:1px solid #c9ced8;border-radius:8px;cursor:pointer}
.sev input:checked+span{background:#2f6fed;border-color:#2f6fed;color:#fff}.sev input:focus-visible+span{outline:2px solid #2f6fed}
button{width:100%;margin-top:22px;padding:14px;border:0;border-radius:8px;background:#2f6fed;color:#fff;font-size:17px;cursor:pointer}
.error{color:#b42318;font-size:14px;margin-top:6px}.muted{color:#5b6476}
.trap{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
</style></head><body><main><div class="card">${body}</div></main></body></html>`;
}

/** A page with one message (thanks, already received, not found, too many). */
export function messagePage(locale: FormLocale, key: FormWord, reference?: string): string {
  const ref = reference
    ? `<p class="muted">${escapeHtml(word(locale, 'reference'))}: <strong data-reference>${escapeHtml(reference)}</strong></p>`
    : '';
  return shell(locale, `<h1>${escapeHtml(word(locale, key))}</h1>${ref}`);
}

export interface FormState {
  ticket: string;
  values?: Record<string, string>;
  error?: FormWord;
}

/** The complaint form: category, severity, what happened, links; a hidden trap field for bots. */
export function formPage(
  locale: FormLocale,
  policy: ComplaintPolicy,
  action: string,
  state: FormState,
): string {
  const v = state.values ?? {};
  const label = (l: string | Record<string, string>) =>
    typeof l === 'string' ? l : (l[locale] ?? l.en ?? Object.values(l)[0] ?? '');
  const options = policy.categories
    .map(
      (c) =>
        `<option value="${escapeHtml(c.id)}"${v.category === c.id ? ' selected' : ''}>${escapeHtml(label(c.label))}</option>`,
    )
    .join('');
  const severity = (['low', 'medium', 'high'] as const)
    .map(
      (s) =>
        `<label><input type="radio" name="severity" value="${s}"${(v.severity ?? 'medium') === s ? ' checked' : ''}><span>${escapeHtml(word(locale, s))}</span></label>`,
    )
    .join('');
  const error = state.error
    ? `<p class="error" role="alert">${escapeHtml(word(locale, state.error))}</p>`
    : '';
  return shell(
    locale,
    `<h1>${escapeHtml(word(locale, 'title'))}</h1>
<p class="muted">${escapeHtml(word(locale, 'intro'))}</p>${error}
<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="ticket" value="${escapeHtml(state.ticket)}">
<div class="trap" aria-hidden="true"><label>Website <input name="website" tabindex="-1" autocomplete="off"></label></div>
<label class="field" for="category">${escapeHtml(word(locale, 'category'))}</label>
<select id="category" name="category" required><option value=""></option>${options}</select>
<label class="field">${escapeHtml(word(locale, 'severity'))}</label><div class="sev">${severity}</div>
<label class="field" for="description">${escapeHtml(word(locale, 'description'))}</label>
<textarea id="description" name="description" required minlength="10" maxlength="4000">${escapeHtml(v.description ?? '')}</textarea>
<label class="field" for="attachments">${escapeHtml(word(locale, 'attachments'))}</label>
<textarea id="attachments" class="links" name="attachments">${escapeHtml(v.attachments ?? '')}</textarea>
<button type="submit">${escapeHtml(word(locale, 'submit'))}</button>
</form>`,
  );
}
