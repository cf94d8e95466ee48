/** The languages every visible text comes in. */
export type Locale = 'en' | 'zh-CN';
export const LOCALES: readonly Locale[] = ['en', 'zh-CN'];

/**
 * A text people read: plain English, or one string per language. Plugins ship their own texts
 * (step titles, descriptions, form labels, pages), so the editor shows them in the viewer's
 * language without knowing the plugin.
 */
export type Localized = string | ({ en: string } & Partial<Record<Locale, string>>);

/** The text in `locale`, else in English. */
export function localize(text: Localized, locale: string): string {
  if (typeof text === 'string') return text;
  const exact = (text as Record<string, string | undefined>)[locale];
  if (exact) return exact;
  const language = locale.split('-')[0];
  const same = Object.entries(text).find(([l]) => l.split('-')[0] === language)?.[1];
  return same ?? text.en;
}
