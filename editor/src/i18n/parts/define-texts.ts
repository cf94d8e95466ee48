/**
 * A feature's texts in English and Simplified Chinese; the type makes sure the Chinese has every
 * English key. `{name}` placeholders are filled in by `t()`.
 */
export function defineTexts<const Keys extends string>(texts: {
  en: Record<Keys, string>;
  'zh-CN': Record<NoInfer<Keys>, string>;
}) {
  return texts;
}
